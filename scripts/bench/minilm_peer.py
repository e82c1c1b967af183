"""all-MiniLM-L6-v2 sentences/s beside Tradewind, for `tradewind-bench peers`: the
fast tokenizer of the model's tokenizer.json (padded to the batch's longest),
transformers' BertModel, mean pooling over real tokens and L2 normalisation, as
sentence-transformers computes them.

  minilm_peer.py --model DIR --sentences FILE --batch B --threads T [--outputs FILE]
Prints one JSON line: load_seconds, sentences, seconds, peak_rss_mb; writes the
embeddings to --outputs.
"""

import argparse
import json
import time

import torch
from tokenizers import Tokenizer
from transformers import BertModel

import hf_files
import process


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--sentences", required=True)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--outputs")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with open(args.sentences) as file:
        sentences = json.load(file)
    started = time.perf_counter()
    model = hf_files.load(BertModel, args.model, add_pooling_layer=False)
    tokenizer = Tokenizer.from_file(f"{args.model}/tokenizer.json")
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    tokenizer.enable_truncation(max_length=256)  # sentence-transformers' max_seq_length
    load_seconds = time.perf_counter() - started
    embeddings = []
    started = time.perf_counter()
    with torch.inference_mode():
        for start in range(0, len(sentences), args.batch):
            encodings = tokenizer.encode_batch(sentences[start : start + args.batch])
            ids = torch.tensor([encoding.ids for encoding in encodings])
            mask = torch.tensor([encoding.attention_mask for encoding in encodings])
            hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).float()
            mean = (hidden * weights).sum(1) / weights.sum(1)
            embeddings.extend(torch.nn.functional.normalize(mean, dim=-1).tolist())
    seconds = time.perf_counter() - started
    if args.outputs:
        with open(args.outputs, "w") as file:
            json.dump(embeddings, file)
    print(json.dumps({
        "load_seconds": load_seconds,
        "sentences": len(sentences),
        "seconds": seconds,
        "peak_rss_mb": process.peak_rss_mb(),
    }))


if __name__ == "__main__":
    main()
