"""Marian (opus-mt) beside Tradewind: CTranslate2 and Hugging Face transformers on the
same weights and the same source ids, for `tradewind-bench peers`.

  marian_peer.py convert MODEL_DIR OUT_DIR QUANTIZATION
      CTranslate2's own converter (TransformersConverter) writes MODEL_DIR as a
      CTranslate2 model with int8 or float32 weights.
  marian_peer.py run --engine ct2|hf --model DIR [--compute-type int8|float32]
                     --sources FILE --batch B --tokens N --threads T
                     [--force-length] [--outputs FILE]
      Greedy decoding of the sources (a JSON list of id lists, each ending with
      </s>), B at a time, at most N tokens each (exactly N with --force-length).
      Prints one JSON line: load_seconds, tokens, seconds, peak_rss_mb; writes
      the output ids (without </s>) to --outputs.

Token ids travel as strings "t<id>" through CTranslate2, whose vocabulary is the
model's ids in order, so nothing depends on a tokenizer.
"""

import argparse
import json
import sys
import time

import hf_files
import process


def vocabulary(config):
    size = config["vocab_size"]
    pad = config["pad_token_id"]
    tokens = [f"t{index}" for index in range(size)]
    tokens[config["eos_token_id"]] = "</s>"
    tokens[1] = "<unk>"
    tokens[pad] = "<pad>"
    return tokens


class IdTokenizer:
    """What CTranslate2's converter reads of a tokenizer: the vocabulary and the
    end and unknown tokens."""

    eos_token = "</s>"
    unk_token = "<unk>"

    def __init__(self, tokens):
        self.tokens = tokens

    def get_vocab(self):
        return {token: index for index, token in enumerate(self.tokens)}


def convert(model_dir, out_dir, quantization):
    import ctranslate2
    from ctranslate2.converters import TransformersConverter

    with open(f"{model_dir}/config.json") as file:
        tokens = vocabulary(json.load(file))

    class Converter(TransformersConverter):
        def load_model(self, model_class, path, **kwargs):
            return hf_files.load(model_class, path)

        def load_tokenizer(self, tokenizer_class, path, **kwargs):
            return IdTokenizer(tokens)

    Converter(model_dir).convert(out_dir, quantization=quantization, force=True)
    print(json.dumps({"ctranslate2": ctranslate2.__version__}))


def batches(sources, size):
    for start in range(0, len(sources), size):
        yield sources[start : start + size]


def token_of(index):
    return {0: "</s>", 1: "<unk>"}.get(index, f"t{index}")


def id_of(token):
    return {"</s>": 0, "<unk>": 1}.get(token) or int(token[1:])


def run_ct2(args, sources):
    import ctranslate2

    started = time.perf_counter()
    translator = ctranslate2.Translator(
        args.model,
        device="cpu",
        compute_type=args.compute_type,
        inter_threads=1,
        intra_threads=args.threads,
    )
    load_seconds = time.perf_counter() - started
    outputs = []
    started = time.perf_counter()
    for batch in batches(sources, args.batch):
        results = translator.translate_batch(
            [[token_of(index) for index in row] for row in batch],
            beam_size=1,
            max_decoding_length=args.tokens,
            min_decoding_length=args.tokens if args.force_length else 0,
            max_batch_size=args.batch,
        )
        for result in results:
            outputs.append([id_of(token) for token in result.hypotheses[0]])
    return load_seconds, time.perf_counter() - started, outputs


def run_hf(args, sources):
    import torch
    from transformers import MarianMTModel

    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    model = hf_files.load(MarianMTModel, args.model)
    load_seconds = time.perf_counter() - started
    config = model.config
    outputs = []
    started = time.perf_counter()
    with torch.inference_mode():
        for batch in batches(sources, args.batch):
            longest = max(len(row) for row in batch)
            ids = torch.full((len(batch), longest), config.pad_token_id, dtype=torch.long)
            mask = torch.zeros((len(batch), longest), dtype=torch.long)
            for index, row in enumerate(batch):
                ids[index, : len(row)] = torch.tensor(row)
                mask[index, : len(row)] = 1
            encoded = model.get_encoder()(input_ids=ids, attention_mask=mask)
            current = torch.full((len(batch), 1), config.decoder_start_token_id, dtype=torch.long)
            past = None
            rows = [[] for _ in batch]
            finished = [False] * len(batch)
            for _ in range(args.tokens):
                step = model(
                    encoder_outputs=encoded,
                    attention_mask=mask,
                    decoder_input_ids=current,
                    past_key_values=past,
                    use_cache=True,
                )
                logits = step.logits[:, -1, :]
                logits[:, config.pad_token_id] = float("-inf")
                chosen = logits.argmax(-1)
                past = step.past_key_values
                current = chosen[:, None]
                for index, token in enumerate(chosen.tolist()):
                    if finished[index]:
                        continue
                    if token == config.eos_token_id and not args.force_length:
                        finished[index] = True
                    else:
                        rows[index].append(token)
                if all(finished):
                    break
            outputs.extend(rows)
    return load_seconds, time.perf_counter() - started, outputs


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "convert":
        convert(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["run"])
    parser.add_argument("--engine", choices=["ct2", "hf"], required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--compute-type", default="float32")
    parser.add_argument("--sources", required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--tokens", type=int, required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--force-length", action="store_true")
    parser.add_argument("--outputs")
    args = parser.parse_args()
    with open(args.sources) as file:
        sources = json.load(file)
    run = run_ct2 if args.engine == "ct2" else run_hf
    load_seconds, seconds, outputs = run(args, sources)
    if args.outputs:
        with open(args.outputs, "w") as file:
            json.dump(outputs, file)
    print(
        json.dumps(
            {
                "load_seconds": load_seconds,
                "tokens": sum(len(row) for row in outputs),
                "seconds": seconds,
                "peak_rss_mb": process.peak_rss_mb(),
            }
        )
    )


if __name__ == "__main__":
    main()
