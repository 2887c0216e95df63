"""The committed fake-account model: loading without training, both feature paths, the held-out
figures it documents, and deterministic retraining."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from infludesk.authenticity import training
from infludesk.authenticity.model import (
    DEFAULT_MODEL_PATH,
    AccountFeatures,
    feature_vector,
    load_model,
    username_digit_ratio,
)
from tests.conftest import shared_path

DOCS = Path(__file__).resolve().parents[2] / "docs" / "authenticity.md"
REAL = AccountFeatures(850, 420, 120, True, False, 0.0, bio_length=64)
FAKE = AccountFeatures(3, 2_200, 0, False, False, 0.64, bio_length=0)


def test_username_digit_ratio_by_hand():
    assert username_digit_ratio("anna_1987") == 0.44
    assert username_digit_ratio("@user8374621") == 0.64
    assert username_digit_ratio("") == 0.0


def test_features_are_log_counts_flags_and_ratio():
    x = feature_vector(REAL, with_bio=True)
    assert x == pytest.approx([np.log(851), np.log(421), np.log(121), 1.0, 0.0, 0.0, np.log(65)])
    assert len(feature_vector(REAL, with_bio=False)) == 6


def test_with_bio_model_needs_a_bio_length():
    with pytest.raises(ValueError, match="bio_length is required"):
        feature_vector(AccountFeatures(1, 1, 1, True, False, 0.0), with_bio=True)


def test_committed_model_loads_as_plain_json_without_training():
    data = json.loads(DEFAULT_MODEL_PATH.read_text())
    model = load_model()
    assert data["format"] == "infludesk-fake-account-logit/1"
    assert model.training_prior == 0.5
    assert model.with_bio.features[-1] == "log_bio_length"
    assert len(model.without_bio.features) == 6


def test_obvious_fake_and_real_accounts_with_and_without_bio():
    model = load_model()
    # at the 50/50 training prior
    assert model.probability(FAKE, prior=None) > 0.99
    assert model.probability(REAL, prior=None) < 0.02
    # bio missing: the model trained without bio length answers
    no_bio_fake = AccountFeatures(3, 2_200, 0, False, False, 0.64)
    expected = model.without_bio.probability(feature_vector(no_bio_fake, with_bio=False))
    assert model.probability(no_bio_fake, prior=None) == expected
    assert expected > 0.99


def test_deployment_prior_lowers_probabilities_by_bayes():
    model = load_model()
    account = AccountFeatures(120, 300, 4, True, False, 0.2, bio_length=0)
    p50 = model.probability(account, prior=None)
    p10 = model.probability(account, prior=0.1)
    # p' = p/9 / (p/9 + 1 - p) for 50% -> 10%
    assert p10 == pytest.approx((p50 / 9) / (p50 / 9 + 1 - p50))
    assert p10 < p50


def test_json_model_matches_scikit_learn_calibrated_probabilities():
    # given the training set, fit exactly as train-fake-model does
    from sklearn.calibration import CalibratedClassifierCV

    data = training.read_dataset(shared_path("data", "fake_accounts", "train.csv"))
    x = training.design_matrix(data.accounts, with_bio=True)
    sk = CalibratedClassifierCV(
        training._logit(10.0), method="sigmoid", cv=training._folds(), ensemble=False
    ).fit(x, data.labels)
    exported = training.fit_variant(x, data.labels, c=10.0, features=["f"] * 7)
    from infludesk.authenticity.model import LogitVariant

    variant = LogitVariant.from_dict(exported)
    ours = np.array([variant.probability(row) for row in x])
    np.testing.assert_allclose(ours, sk.predict_proba(x)[:, 1], atol=1e-12)


def test_committed_model_reproduces_its_documented_heldout_figures():
    # given the committed model and the dataset's own test split
    committed = json.loads(DEFAULT_MODEL_PATH.read_text())
    test_set = training.read_dataset(shared_path("data", "fake_accounts", "test.csv"))
    assert test_set.sha256 == committed["heldout"]["sha256"]
    # when evaluated again
    report = training.evaluate(load_model(), test_set)
    # then every figure and interval matches the file, and the docs quote them
    docs = DOCS.read_text()
    for variant in ("with_bio", "without_bio"):
        assert report[variant] == committed["heldout"][variant]
        for name, figure in report[variant]["metrics"].items():
            low, high = figure["ci95"]
            assert f"| {name} | {figure['value']:.4f} | {low:.4f}-{high:.4f} |" in docs


def test_heldout_accuracy_is_within_the_published_range():
    metrics = json.loads(DEFAULT_MODEL_PATH.read_text())["heldout"]["with_bio"]["metrics"]
    # community reports on this split: 88-94% accuracy
    assert 0.88 <= metrics["accuracy"]["value"] <= 0.95
    assert metrics["roc_auc"]["value"] > 0.97


def test_retraining_reproduces_the_committed_file(tmp_path):
    # deterministic: seeded folds and bootstrap, so the same data gives the same model
    train_csv = shared_path("data", "fake_accounts", "train.csv")
    data = training.train(train_csv, train_csv.with_name("test.csv"))
    committed = json.loads(DEFAULT_MODEL_PATH.read_text())
    assert data["selection"] == committed["selection"]
    assert data["heldout"] == committed["heldout"]
    for variant in ("with_bio", "without_bio"):
        for key in ("coef", "scaler_mean", "scaler_scale"):
            np.testing.assert_allclose(
                data["variants"][variant][key], committed["variants"][variant][key], rtol=1e-9
            )


def test_roc_auc_by_hand_with_a_tie():
    # positives 0.9, 0.5; negatives 0.5, 0.1: pairs won 1 + 1 + 0.5 + 1 of 4
    y = np.array([1, 1, 0, 0])
    p = np.array([0.9, 0.5, 0.5, 0.1])
    assert training.roc_auc(y, p) == pytest.approx(0.875)
