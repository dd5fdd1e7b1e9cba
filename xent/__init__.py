"""xent: the numbers behind a dashboard that teaches why cross-entropy fits classification.

The math modules import numpy only, so ``import xent`` is fast and usable from a notebook:

>>> import xent
>>> round(float(xent.binary_cross_entropy(0.2, 0.2)), 4)  # 2 red, 8 white balls: H(0.2)
0.5004

Charts (``xent.charts``, Altair and pandas) and Streamlit helpers (``xent.ui``) are
imported on their own.
"""

from xent.functions import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax
from xent.losses import (
    BINARY_LOSSES,
    BinaryLoss,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    binary_focal_loss,
    cross_entropy,
    entropy,
    kl_divergence,
    softmax_cross_entropy_with_integer_labels,
    softmax_cross_entropy_with_logits,
)

__version__ = "0.1.0"

__all__ = [
    "BINARY_LOSSES",
    "BinaryLoss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "binary_focal_loss",
    "cross_entropy",
    "entropy",
    "kl_divergence",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "sigmoid",
    "softmax",
    "softmax_cross_entropy_with_integer_labels",
    "softmax_cross_entropy_with_logits",
]
