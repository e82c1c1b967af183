"""Loads a Hugging Face model class from a folder of Tradewind's random-weight files.

candle writes safetensors without the `{"format": "pt"}` header transformers 4.44
insists on, so the model is built from its config and the tensors are loaded into it
by name. Every tensor of the file must be taken, and only the tensors a model derives
(tied heads, static position tables, buffers) may be absent: a name that does not
match fails loudly rather than leaving random weights in place.
"""

import safetensors.torch
import torch

DERIVED = ("lm_head.weight", "embed_tokens.weight", "embed_positions.weight", "position_ids", "final_logits_bias")


def load(model_class, directory, weights="model.safetensors", state=None, **model_kwargs):
    config = model_class.config_class.from_pretrained(directory)
    model = model_class(config, **model_kwargs).eval()
    if state is None:
        state = safetensors.torch.load_file(f"{directory}/{weights}")
    if model_kwargs.get("add_pooling_layer") is False:
        # Sentence embeddings pool the tokens themselves; BERT's pooler goes unused.
        state = {name: value for name, value in state.items() if not name.startswith("pooler.")}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [name for name in missing if not name.endswith(DERIVED)]
    # Older checkpoints save the position ids, a buffer transformers now makes itself.
    unexpected = [name for name in unexpected if not name.endswith("position_ids")]
    if missing or unexpected:
        raise SystemExit(
            f"{directory}: the weights do not match {model_class.__name__}: "
            f"missing {missing[:5]}, unexpected {unexpected[:5]}"
        )
    model.tie_weights()
    return model

