"""Training and held-out evaluation of the fake-account model (``infludesk train-fake-model``).

Deterministic: fixed fold splits and bootstrap seeds, and lbfgs logistic regression, so the same
data gives the same model file. scikit-learn is imported here only, never at run time.

Procedure (all choices made on the training split; the test split is touched once, to report):
1. Features as in ``model.feature_vector`` (log1p counts, flags, digit ratio, optional bio).
2. Candidates compared by 5-fold stratified CV log loss on train.csv: logistic regression with
   C in {0.1, 1, 10} (standardised inputs) and, for reference, gradient boosting (100 trees of
   depth 2). The best logistic regression is exported; gradient boosting is reported only (it
   scored worse on CV when this was written, and a linear model stores as a few numbers).
3. Calibration: Platt scaling fitted on out-of-fold decision values (CalibratedClassifierCV,
   method="sigmoid", ensemble=False), then the regression refitted on all of train.csv.
4. Held-out: accuracy, precision, recall, F1 (threshold 0.5 at the 50% training prior, which
   the test split shares), ROC-AUC and Brier score on test.csv, each with a 95% percentile
   bootstrap interval (2,000 resamples, seeded), plus a reliability table.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from infludesk.authenticity.model import (
    BASE_FEATURES,
    BIO_FEATURE,
    MODEL_FORMAT,
    AccountFeatures,
    FakeAccountModel,
    feature_vector,
    model_from_dict,
)

SEED = 20_261_125
BOOTSTRAP_RESAMPLES = 2_000
CANDIDATE_C = (0.1, 1.0, 10.0)
TRAINING_PRIOR = 0.5

# Dataset column -> our feature (see ../shared/data/fake_accounts/README.md). The other columns
# (full name, external URL, name == username) are not exposed for every account, so unused.
DATASET_COLUMNS = {
    "followers": "#followers",
    "following": "#follows",
    "posts": "#posts",
    "has_profile_pic": "profile pic",
    "is_private": "private",
    "username_digit_ratio": "nums/length username",
    "bio_length": "description length",
    "label": "fake",
}


@dataclass(frozen=True)
class LabeledSet:
    accounts: list[AccountFeatures]
    labels: np.ndarray
    sha256: str
    name: str


def read_dataset(path: Path) -> LabeledSet:
    """Read train.csv / test.csv of the labeled Instagram accounts set."""
    raw = path.read_bytes()
    rows = list(csv.DictReader(raw.decode("utf-8").splitlines()))
    c = DATASET_COLUMNS
    accounts = [
        AccountFeatures(
            followers=int(float(r[c["followers"]])),
            following=int(float(r[c["following"]])),
            posts=int(float(r[c["posts"]])),
            has_profile_pic=r[c["has_profile_pic"]].strip() == "1",
            is_private=r[c["is_private"]].strip() == "1",
            username_digit_ratio=float(r[c["username_digit_ratio"]]),
            bio_length=int(float(r[c["bio_length"]])),
        )
        for r in rows
    ]
    labels = np.array([int(r[c["label"]]) for r in rows], dtype=int)
    return LabeledSet(accounts, labels, hashlib.sha256(raw).hexdigest(), path.name)


def design_matrix(accounts: list[AccountFeatures], *, with_bio: bool) -> np.ndarray:
    return np.array([feature_vector(a, with_bio=with_bio) for a in accounts], dtype=float)


def _folds() -> Any:
    from sklearn.model_selection import StratifiedKFold

    return StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)


def _logit(c: float) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5_000))


def compare_candidates(x: np.ndarray, y: np.ndarray) -> dict[str, dict[str, float]]:
    """5-fold CV log loss, ROC-AUC and accuracy of each candidate on the training split."""
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
    from sklearn.model_selection import cross_val_predict

    candidates: dict[str, Any] = {f"logistic_C{c:g}": _logit(c) for c in CANDIDATE_C}
    candidates["gradient_boosting"] = GradientBoostingClassifier(
        n_estimators=100, max_depth=2, learning_rate=0.1, random_state=SEED
    )
    results = {}
    for name, estimator in candidates.items():
        p = cross_val_predict(estimator, x, y, cv=_folds(), method="predict_proba")[:, 1]
        results[name] = {
            "log_loss": round(float(log_loss(y, p)), 4),
            "roc_auc": round(float(roc_auc_score(y, p)), 4),
            "accuracy": round(float(accuracy_score(y, p >= 0.5)), 4),
        }
    return results


def fit_variant(x: np.ndarray, y: np.ndarray, *, c: float, features: list[str]) -> dict[str, Any]:
    """Fit the calibrated logistic regression and export it as plain numbers."""
    from sklearn.calibration import CalibratedClassifierCV

    calibrated = CalibratedClassifierCV(_logit(c), method="sigmoid", cv=_folds(), ensemble=False)
    calibrated.fit(x, y)
    pair = calibrated.calibrated_classifiers_[0]
    scaler, logistic = pair.estimator.steps[0][1], pair.estimator.steps[1][1]
    platt = pair.calibrators[0]
    return {
        "features": features,
        "C": c,
        "scaler_mean": [float(v) for v in scaler.mean_],
        "scaler_scale": [float(v) for v in scaler.scale_],
        "coef": [float(v) for v in logistic.coef_[0]],
        "intercept": float(logistic.intercept_[0]),
        "platt": {"a": float(platt.a_), "b": float(platt.b_)},
    }


def roc_auc(y: np.ndarray, p: np.ndarray) -> float:
    """ROC-AUC as the Mann-Whitney statistic: (R1 - n1 (n1 + 1) / 2) / (n1 n0), R1 the sum of
    the positives' ranks (ties get their mean rank). NaN when a class is absent."""
    from scipy.stats import rankdata

    n1 = int(y.sum())
    n0 = len(y) - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = rankdata(p)
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _point_metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """Accuracy, precision, recall, F1 at threshold 0.5, ROC-AUC and Brier = mean((p - y)^2).
    Written with numpy (not sklearn.metrics) because the bootstrap calls it 2,000 times."""
    pred = p >= 0.5
    truth = y == 1
    tp = float(np.sum(pred & truth))
    fp = float(np.sum(pred & ~truth))
    fn = float(np.sum(~pred & truth))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "accuracy": float(np.mean(pred == truth)),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "roc_auc": roc_auc(y, p),
        "brier": float(np.mean((p - y) ** 2)),
    }


def heldout_report(y: np.ndarray, p: np.ndarray) -> dict[str, Any]:
    """Point figures with 95% percentile bootstrap intervals, and a 5-bin reliability table."""
    point = _point_metrics(y, p)
    rng = np.random.default_rng(SEED)
    draws: dict[str, list[float]] = {k: [] for k in point}
    n = len(y)
    for _ in range(BOOTSTRAP_RESAMPLES):
        idx = rng.integers(0, n, n)
        for key, value in _point_metrics(y[idx], p[idx]).items():
            if not np.isnan(value):
                draws[key].append(value)
    metrics = {
        key: {
            "value": round(point[key], 4),
            "ci95": [
                round(float(np.percentile(draws[key], 2.5)), 4),
                round(float(np.percentile(draws[key], 97.5)), 4),
            ],
        }
        for key in point
    }
    edges = np.linspace(0, 1, 6)
    bins = np.clip(np.digitize(p, edges[1:-1]), 0, 4)
    reliability = [
        {
            "bin": f"{edges[b]:.1f}-{edges[b + 1]:.1f}",
            "count": int((bins == b).sum()),
            "mean_predicted": round(float(p[bins == b].mean()), 4) if (bins == b).any() else None,
            "observed_fake": round(float(y[bins == b].mean()), 4) if (bins == b).any() else None,
        }
        for b in range(5)
    ]
    return {"rows": n, "metrics": metrics, "reliability": reliability}


def train(train_path: Path, test_path: Path) -> dict[str, Any]:
    """Train both variants on ``train_path``, evaluate on ``test_path``; the model file dict."""
    train_set, test_set = read_dataset(train_path), read_dataset(test_path)
    variants: dict[str, Any] = {}
    selection: dict[str, Any] = {}
    for name, with_bio in (("with_bio", True), ("without_bio", False)):
        features = [*BASE_FEATURES, BIO_FEATURE] if with_bio else list(BASE_FEATURES)
        x = design_matrix(train_set.accounts, with_bio=with_bio)
        cv = compare_candidates(x, train_set.labels)
        best_c = min(CANDIDATE_C, key=lambda c: cv[f"logistic_C{c:g}"]["log_loss"])
        selection[name] = {"cv_5fold": cv, "chosen": f"logistic_C{best_c:g}"}
        variants[name] = fit_variant(x, train_set.labels, c=best_c, features=features)
    data: dict[str, Any] = {
        "format": MODEL_FORMAT,
        "training_prior": TRAINING_PRIOR,
        "seed": SEED,
        "trained_on": {
            "file": train_set.name,
            "rows": len(train_set.labels),
            "fake_share": float(train_set.labels.mean()),
            "sha256": train_set.sha256,
        },
        "selection": selection,
        "variants": variants,
    }
    data["heldout"] = evaluate(model_from_dict(data), test_set)
    return data


def evaluate(model: FakeAccountModel, test_set: LabeledSet) -> dict[str, Any]:
    """Held-out report of both variants (the without-bio one ignores bio length)."""
    report: dict[str, Any] = {"file": test_set.name, "sha256": test_set.sha256}
    for name, with_bio in (("with_bio", True), ("without_bio", False)):
        variant = model.with_bio if with_bio else model.without_bio
        p = np.array(
            [variant.probability(feature_vector(a, with_bio=with_bio)) for a in test_set.accounts]
        )
        report[name] = heldout_report(test_set.labels, p)
    return report


def write_model(data: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
