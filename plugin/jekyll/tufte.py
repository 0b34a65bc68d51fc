"""The Liquid tags of the tufte-jekyll theme's `_plugins/` (deepgenerativemodels/notes, …):
`{% marginnote 'id' 'note' %}`, `{% sidenote 'id' 'note' %}`, `{% newthought 'Text' %}`,
`{% marginfigure 'id' 'url' 'caption' %}`, `{% maincolumn 'url' 'caption' %}`,
`{% fullwidth 'url' 'caption' %}`.

Each writes the HTML its Ruby plugin writes, character for character: the arguments split
as Ruby's `shellsplit` splits them (quoted strings, several lines too), the text passed
through as it is (Markdown and math in it are the page's, converted with it; Liquid in it
stays text, as Liquid reads the whole tag first); an image URL that is not `http://`,
`https://` or `//` is the site's file `/url` (the plugins' `baseurl/url`), resolved by the
caller as other root-absolute URLs are. A missing argument is an error (the plugins would
write an empty id or note, or stop the build on a missing URL).

Without Tufte's CSS (its margin), the notes are shown by `CSS` (`STYLESHEET`, linked by
pages that have them, like `math.STYLESHEET`): the toggles hidden, a note a small aside
with a rule at its left in the text where it is written, a side note numbered at both ends.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# name: (arguments, the ones needed, what they are)
TAGS = {
    "marginnote": (("id", "note"), 2, "{% marginnote 'mn-id' 'The note' %}"),
    "sidenote": (("id", "note"), 2, "{% sidenote 'sn-id' 'The note' %}"),
    "newthought": (("text",), 1, "{% newthought 'The first words' %}"),
    "marginfigure": (
        ("id", "url", "caption"),
        2,
        "{% marginfigure 'mf-id' 'assets/img/x.png' 'The caption' %}",
    ),
    "maincolumn": (("url", "caption"), 1, "{% maincolumn 'assets/img/x.png' 'The caption' %}"),
    "fullwidth": (("url", "caption"), 1, "{% fullwidth 'assets/img/x.png' 'The caption' %}"),
}
EXTERNAL = ("http://", "https://", "//")
# Ruby's Shellwords.shellsplit (shellwords.rb), its pattern as it is
SHELL_WORD = re.compile(
    r"""\s*(?>([^\s\\'"]+)|'([^']*)'|"((?:[^"\\]|\\.)*)"|(\\.?)|(\S))(\s|\Z)?""", re.S
)

STYLESHEET = "assets/lecture/jekyll-tufte.css"
CSS = """\
/* mkdocs-lecture: the notes of tufte-jekyll's tags without Tufte's margin: each note an
   aside in the text where it is written, a side note numbered at both ends */
body { counter-reset: sidenote-counter; }
input.margin-toggle { display: none; }
label.margin-toggle:not(.sidenote-number) { display: none; }
label.sidenote-number { counter-increment: sidenote-counter; }
label.sidenote-number::after, span.sidenote::before {
  content: counter(sidenote-counter);
  font-size: 0.75em;
  line-height: 0;
  vertical-align: super;
}
span.sidenote::before { margin-right: 0.3em; }
span.marginnote, span.sidenote {
  display: block;
  margin: 0.5em 0 0.5em 1em;
  padding-left: 0.8em;
  border-left: 0.2em solid var(--md-default-fg-color--lightest, #ddd);
  color: var(--md-default-fg-color--light, inherit);
  font-size: 0.85em;
}
span.marginnote img { display: block; max-width: 100%; }
span.newthought { font-variant: small-caps; letter-spacing: 0.03em; }
figure.fullwidth, figure.fullwidth img { max-width: 100%; }
"""
# tufte-jekyll's HTML, from these tags or the theme's includes (cs228-notes')
TUFTE_HTML = re.compile(
    r"""class=["'](?:margin-toggle|marginnote|sidenote|newthought|fullwidth)\b"""
)


class TufteError(ValueError):
    pass


def shellsplit(text: str) -> list[str]:
    """`text` split into words as Ruby's `Shellwords.shellsplit` splits it."""
    words: list[str] = []
    field, pos = "", 0
    while (match := SHELL_WORD.match(text, pos)) is not None and match.end() > pos:
        pos = match.end()
        word, single, double, escaped, garbage, separator = match.groups()
        if garbage is not None:
            raise TufteError(f"unmatched quote {garbage} in {text.strip()!r}: close it")
        if word is not None:
            field += word
        elif single is not None:
            field += single
        elif double is not None:
            field += re.sub(r'\\([$`"\\\n])', r"\1", double)
        else:
            field += re.sub(r"\\(.)", r"\1", escaped, flags=re.S)
        if separator is not None:
            words.append(field)
            field = ""
    return words


def render(name: str, args: str, image_url: Callable[[str], str]) -> str:
    """The HTML of `{% name args %}` as the theme's plugin writes it; `image_url` gives the
    URL of a site's file `/path`."""
    names, needed, example = TAGS[name]
    words = shellsplit(args)
    if len(words) < needed:
        wanted = " and ".join(f"the {n}" for n in names[:needed])
        raise TufteError(
            f"needs {needed} quoted argument{'s' * (needed > 1)}, {wanted} "
            f"({len(words)} given): {example}"
        )
    value = dict(zip(names, [*words, *[""] * len(names)], strict=False))
    if "url" in value:
        url = value["url"]
        value["url"] = url if url.startswith(EXTERNAL) else image_url("/" + url.lstrip("/"))
    v = value
    if name == "marginnote":  # marginnote.rb:12
        return (
            f"<label for='{v['id']}' class='margin-toggle'> &#8853;</label>"
            f"<input type='checkbox' id='{v['id']}' class='margin-toggle'/>"
            f"<span class='marginnote'>{v['note']} </span>"
        )
    if name == "sidenote":  # sidenote.rb:12
        return (
            f"<label for='{v['id']}' class='margin-toggle sidenote-number'></label>"
            f"<input type='checkbox' id='{v['id']}' class='margin-toggle'/>"
            f"<span class='sidenote'>{v['note']} </span>"
        )
    if name == "newthought":  # newthought.rb:17
        return f"<span class='newthought'>{v['text']}</span> "
    if name == "marginfigure":  # margin_figure.rb:18-24
        return (
            f"<label for='{v['id']}' class='margin-toggle'>&#8853;</label>"
            f"<input type='checkbox' id='{v['id']}' class='margin-toggle'/>"
            f"<span class='marginnote'><img class='fullwidth' src='{v['url']}'/><br>"
            f"{v['caption']}</span>"
        )
    if name == "maincolumn":  # main_column_img.rb:18-20
        return f"<figure><figcaption>{v['caption']}</figcaption><img src='{v['url']}'/></figure>"
    # fullwidth.rb:18-22
    return (
        f"<figure class='fullwidth'><img src='{v['url']}'/>"
        f"<figcaption>{v['caption']}</figcaption></figure>"
    )
