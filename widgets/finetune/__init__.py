"""The finetune widget (in progress)."""
