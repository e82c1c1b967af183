"""What the reference implementations compute on Tradewind's fixture models, kept in
tests/references/ so that CI checks Tradewind against them without torch.

  scripts/bench/setup.sh                      # the peers, once
  target/release/tradewind dev fixtures DIR   # the seeded fixtures
  .cache/models-venv/bin/python scripts/bench/references.py DIR MINILM_DIR SMOLLM2_DIR

Each file records the checksum of the weights it was computed from; the Rust tests
refuse a stale file with the command above. Families:
  marian  greedy ids from HF transformers and CTranslate2 float32 (asserted equal
          here), and the logits of every step along that path (HF);
  clip    image embeddings of a drawn 32x32 photo and text embeddings (HF);
  bert    sentence embeddings, mean pooled and normalised as sentence-transformers
          does, of the fixture BERT and of the real all-MiniLM-L6-v2 (HF);
  t5      the MADLAD fixture's logits along a decoder path (HF T5 on the GGUF's
          weights dequantized by gguf-py);
  smollm2 the prompt the real SmolLM2-135M-Instruct's own chat template (in its
          GGUF) renders, as transformers' apply_chat_template renders it.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import transformers
from tokenizers import Tokenizer

import hf_files

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "references")

MARIAN_SOURCES = [[12, 7, 30, 0], [5, 9, 22, 40, 18, 3, 0], [33, 0], [8, 8, 15, 27, 0]]
MARIAN_STEPS = 10
SENTENCES = [
    "red leather handbag",
    "a small steel knife set for the kitchen",
    "white ceramic mug",
]
MINILM_SENTENCES = [
    "Handmade red leather handbag with a brass clasp",
    "Where is my order? It was due last week.",
    "Stainless steel chef knife, 20 cm",
]
CLIP_TEXTS = ["red bag", "a white ceramic mug with the lamp", "steel"]


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save(name, record):
    record.setdefault(
        "reference", f"transformers {transformers.__version__}, torch {torch.__version__}"
    )
    path = os.path.join(OUT, f"{name}.json")
    with open(path + ".tmp", "w") as file:
        json.dump(record, file)
        file.write("\n")
    os.replace(path + ".tmp", path)
    print(f"wrote {os.path.normpath(path)}")


def rounded(array):
    return [round(float(value), 7) for value in np.asarray(array).reshape(-1)]


def marian(fixtures):
    directory = os.path.join(fixtures, "fixture-opus-mt-en-de")
    model = hf_files.load(transformers.MarianMTModel, directory)
    config = model.config
    outputs, logits = [], []
    with torch.inference_mode():
        for source in MARIAN_SOURCES:
            ids = torch.tensor([source])
            encoded = model.get_encoder()(input_ids=ids)
            path = [config.decoder_start_token_id]
            row_logits = []
            for _ in range(MARIAN_STEPS):
                step = model(encoder_outputs=encoded, decoder_input_ids=torch.tensor([path]))
                last = step.logits[0, -1].clone()
                last[config.pad_token_id] = float("-inf")
                chosen = int(last.argmax())
                row_logits.append(rounded(step.logits[0, -1]))
                if chosen == config.eos_token_id:
                    break
                path.append(chosen)
            outputs.append(path[1:])
            logits.append(row_logits)
    with tempfile.TemporaryDirectory() as work:
        sources = os.path.join(work, "sources.json")
        with open(sources, "w") as file:
            json.dump(MARIAN_SOURCES, file)
        peer = os.path.join(HERE, "marian_peer.py")
        ct2 = os.path.join(work, "ct2")
        subprocess.run([sys.executable, peer, "convert", directory, ct2, "float32"], check=True)
        ct2_outputs = os.path.join(work, "outputs.json")
        subprocess.run(
            [sys.executable, peer, "run", "--engine", "ct2", "--model", ct2,
             "--sources", sources, "--batch", "4", "--tokens", str(MARIAN_STEPS),
             "--outputs", ct2_outputs],
            check=True,
        )
        with open(ct2_outputs) as file:
            from_ct2 = json.load(file)
    if from_ct2 != outputs:
        raise SystemExit(f"CTranslate2 float32 {from_ct2} and transformers {outputs} disagree")
    save("marian", {
        "weights_sha256": sha256(os.path.join(directory, "model.safetensors")),
        "sources": MARIAN_SOURCES,
        "outputs": outputs,
        "agreeing": ["transformers MarianMTModel", "CTranslate2 float32"],
        "logits": logits,
    })


def clip_photo(size):
    """The photo the Rust test draws: a deterministic pattern, no resampling needed."""
    pixels = np.zeros((size, size, 3), dtype=np.float32)
    for y in range(size):
        for x in range(size):
            pixels[y, x] = [(x * 7 + y * 3) % 256, (x * y) % 256, (x + 10 * y) % 256]
    return pixels


def clip(fixtures):
    directory = os.path.join(fixtures, "fixture-clip")
    model = hf_files.load(transformers.CLIPModel, directory)
    size = model.config.vision_config.image_size
    mean = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
    std = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
    pixels = (clip_photo(size) / 255.0 - mean) / std
    tokenizer = Tokenizer.from_file(os.path.join(directory, "tokenizer.json"))
    ids = [tokenizer.encode(text).ids for text in CLIP_TEXTS]
    with torch.inference_mode():
        image = model.get_image_features(
            pixel_values=torch.tensor(pixels).permute(2, 0, 1)[None].float()
        )
        texts = [model.get_text_features(input_ids=torch.tensor([row])) for row in ids]
    normalise = lambda tensor: torch.nn.functional.normalize(tensor, dim=-1)
    save("clip", {
        "weights_sha256": sha256(os.path.join(directory, "model.safetensors")),
        "image": rounded(normalise(image)[0]),
        "texts": CLIP_TEXTS,
        "text_ids": ids,
        "text_embeddings": [rounded(normalise(text)[0]) for text in texts],
    })


def sentence_embeddings(directory, sentences):
    model = hf_files.load(transformers.BertModel, directory, add_pooling_layer=False)
    tokenizer = Tokenizer.from_file(os.path.join(directory, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    ids = [tokenizer.encode(sentence).ids for sentence in sentences]
    vectors = []
    with torch.inference_mode():
        for row in ids:
            hidden = model(input_ids=torch.tensor([row])).last_hidden_state[0]
            vectors.append(rounded(torch.nn.functional.normalize(hidden.mean(0), dim=-1)))
    return {
        "weights_sha256": sha256(os.path.join(directory, "model.safetensors")),
        "sentences": sentences,
        "ids": ids,
        "embeddings": vectors,
    }


def t5(fixtures):
    import gguf

    directory = os.path.join(fixtures, "fixture-madlad-q4k")
    weights = os.path.join(directory, "model-q4k.gguf")
    reader = gguf.GGUFReader(weights)
    state = {}
    for tensor in reader.tensors:
        values = gguf.quants.dequantize(tensor.data, tensor.tensor_type)
        shape = [int(dim) for dim in reversed(tensor.shape.tolist())]
        state[tensor.name] = torch.tensor(np.ascontiguousarray(values).reshape(shape))
    # GGUF conversions keep the shared embedding once, as the decoder's (candle reads
    # it from there too).
    state.setdefault("shared.weight", state["decoder.embed_tokens.weight"])
    model = hf_files.load(transformers.T5ForConditionalGeneration, directory, state=state)
    source = [3, 10, 14, 20, 1]  # <2de>, three words, </s>
    path = [0, 12, 18, 25, 9]
    with torch.inference_mode():
        logits = model(
            input_ids=torch.tensor([source]), decoder_input_ids=torch.tensor([path])
        ).logits[0]
    save("t5", {
        "weights_sha256": sha256(weights),
        "source": source,
        "decoder_path": path,
        "logits": [rounded(row) for row in logits],
    })


def smollm2(folder):
    import gguf
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    weights = os.path.join(folder, "SmolLM2-135M-Instruct.Q4_1.gguf")
    field = gguf.GGUFReader(weights).fields["tokenizer.chat_template"]
    template = bytes(field.parts[field.data[0]]).decode()
    # The environment transformers' apply_chat_template renders in.
    environment = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    system, user = "You answer buyers of a small shop.", "Where is my order #1042?"
    prompt = environment.from_string(template).render(
        messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
        add_generation_prompt=True,
    )
    save("smollm2", {"weights_sha256": sha256(weights), "system": system, "user": user,
                     "prompt": prompt, "reference": "its chat template as transformers renders it"})


def main():
    fixtures, minilm, smollm2_folder = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(OUT, exist_ok=True)
    marian(fixtures)
    clip(fixtures)
    save("bert", sentence_embeddings(os.path.join(fixtures, "fixture-bert"), SENTENCES))
    save("minilm", sentence_embeddings(minilm, MINILM_SENTENCES))
    t5(fixtures)
    smollm2(smollm2_folder)


if __name__ == "__main__":
    main()
