"""The terms of the lesson in both languages: every Japanese message uses these.

``tests/test_i18n.py`` checks each catalogue entry whose English contains a term (as a
whole word, any case) has the term's Japanese. Standard Japanese terms of statistics and
machine learning, as a Japanese textbook writes them.
"""

from __future__ import annotations

TERMS: tuple[tuple[str, str], ...] = (
    ("cross-entropy", "交差エントロピー"),
    ("probability distribution", "確率分布"),
    ("true probability", "真の確率"),
    ("information content", "情報量"),
    ("entropy", "エントロピー"),
    ("KL divergence", "KLダイバージェンス"),
    ("Bernoulli", "ベルヌーイ"),
    ("sigmoid", "シグモイド"),
    ("softmax", "ソフトマックス"),
    ("gradient descent", "勾配降下法"),
    ("learning rate", "学習率"),
    ("squared error", "二乗誤差"),
    ("loss function", "損失関数"),
    ("one-hot", "ワンホット"),
    ("log-likelihood", "対数尤度"),
    ("maximum likelihood", "最尤推定"),
    ("gradient", "勾配"),
    ("logit", "ロジット"),
    ("neuron", "ニューロン"),
    ("red ball", "赤玉"),
    ("white ball", "白玉"),
)
"""(English term, Japanese term). Longer terms first where one contains another."""
