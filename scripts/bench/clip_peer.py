"""CLIP ViT-B/32 photos/s end to end beside Tradewind, for `tradewind-bench peers`:
PIL decodes each JPEG, transformers' CLIPImageProcessor resizes, crops and
normalises (openai/clip-vit-base-patch32's settings), CLIPModel embeds, B at a time.

  clip_peer.py --model DIR --photos DIR --batch B --threads T
Prints one JSON line: load_seconds, photos, seconds, peak_rss_mb.
"""

import argparse
import json
import os
import time

import torch
from PIL import Image
from transformers import CLIPImageProcessor, CLIPModel

import hf_files
import process


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--photos", required=True)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    paths = sorted(
        os.path.join(args.photos, name) for name in os.listdir(args.photos) if name.endswith(".jpg")
    )
    started = time.perf_counter()
    model = hf_files.load(CLIPModel, args.model)
    processor = CLIPImageProcessor()  # the defaults are openai/clip-vit-base-patch32's
    load_seconds = time.perf_counter() - started
    with torch.inference_mode():
        # One photo first, as Tradewind's run does, so lazy set-up is not counted.
        model.get_image_features(**processor(images=[Image.open(paths[0]).convert("RGB")], return_tensors="pt"))
        started = time.perf_counter()
        for start in range(0, len(paths), args.batch):
            images = [Image.open(path).convert("RGB") for path in paths[start : start + args.batch]]
            model.get_image_features(**processor(images=images, return_tensors="pt"))
        seconds = time.perf_counter() - started
    print(json.dumps({
        "load_seconds": load_seconds,
        "photos": len(paths),
        "seconds": seconds,
        "peak_rss_mb": process.peak_rss_mb(),
    }))


if __name__ == "__main__":
    main()
