"""llama.cpp (through the PyPI llama-cpp-python, built here from source) doing what
`tradewind-bench writer` asks of Tradewind: the same chat prompt through the same GGUF
in one batch, then TOKENS tokens one at a time, argmax, on THREADS threads. Prints one
JSON line: prompt and written tokens and the seconds each took, and llama.cpp's version.

Usage: writer_llama_cpp.py MODEL.gguf PROMPT TOKENS THREADS
"""

import json
import sys
import time

import llama_cpp
import numpy

path, prompt, tokens, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
model = llama_cpp.Llama(
    model_path=path,
    n_ctx=2048,
    n_batch=512,
    n_threads=threads,
    n_threads_batch=threads,
    verbose=False,
)
ids = model.tokenize(prompt.encode(), add_bos=False, special=True)

started = time.perf_counter()
model.eval(ids)
prompt_seconds = time.perf_counter() - started

vocabulary = model.n_vocab()


def last_logits():
    # llama-cpp-python keeps scores only with logits_all; the context holds the last row.
    return numpy.ctypeslib.as_array(model._ctx.get_logits(), shape=(vocabulary,))


started = time.perf_counter()
for _ in range(tokens):
    next_id = int(numpy.argmax(last_logits()))
    model.eval([next_id])
generation_seconds = time.perf_counter() - started

print(
    json.dumps(
        {
            "prompt_tokens": len(ids),
            "prompt_seconds": prompt_seconds,
            "generated_tokens": tokens,
            "generation_seconds": generation_seconds,
            "version": llama_cpp.__version__,
        }
    )
)
