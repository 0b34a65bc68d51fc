"""The widgets of mkdocs-lecture: one subpackage per widget, standard library only."""
