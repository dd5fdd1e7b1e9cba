"""Every true answer of the question bank against an independent recomputation.

The recomputations use plain numpy and scipy only (no xent function), over random states.
"""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from scipy.special import expit, logit
from scipy.stats import entropy

from xent import questions

RNG = np.random.default_rng(20261128)


def _bce(p, q):
    q = np.clip(q, 1e-15, 1 - 1e-15)
    return -(p * np.log(q) + (1 - p) * np.log(1 - q))


@pytest.mark.parametrize("p", RNG.uniform(0.02, 0.98, 25).round(2))
def test_min_q_is_where_the_loss_is_smallest(p):
    q = questions.pose("bernoulli.min_q", {"p": p})
    best = minimize_scalar(lambda x: _bce(p, x), bounds=(1e-9, 1 - 1e-9), method="bounded").x
    assert abs(q.truth - best) < 1e-4
    assert q.is_right(round(best, 2))
    assert not q.is_right(min(1.0, best + 0.05))


@pytest.mark.parametrize("p", [0.0, 1.0, *RNG.uniform(0, 1, 20)])
def test_min_loss_is_the_entropy(p):
    q = questions.pose("bernoulli.min_loss", {"p": p})
    assert q.truth == pytest.approx(entropy([p, 1 - p]), abs=1e-12)
    grid = np.linspace(1e-6, 1 - 1e-6, 200001)
    assert q.truth <= _bce(p, grid).min() + 1e-9


@pytest.mark.parametrize("seed", range(25))
def test_step_direction_matches_one_real_step(seed):
    rng = np.random.default_rng(seed)
    p, q0 = rng.uniform(0.01, 0.99, 2).round(2)
    lr = rng.uniform(0.1, 5)
    q = questions.pose("bernoulli.step", {"p": p, "q": q0, "lr": lr})
    z1 = logit(q0) - lr * (q0 - p)
    moved = expit(z1) - q0
    want = "q stays" if p == q0 else ("q goes up" if moved > 0 else "q goes down")
    assert q.truth == want


def _multiclass(rng, k):
    z = rng.uniform(-5, 5, k).round(1)
    y = int(rng.integers(k))
    eps = float(rng.choice([0.0, 0.1, 0.3]))
    settings = {"k": k, "names": "", "y": y, "ls": eps, "lr": 1.0, "steps": 30}
    settings |= {f"z{i + 1}": v for i, v in enumerate(z)}
    t = np.full(k, eps / k)
    t[y] += 1 - eps
    return settings, z, t


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


@pytest.mark.parametrize("seed", range(25))
def test_first_raise_is_the_logit_that_rises_most(seed):
    rng = np.random.default_rng(seed)
    settings, z, t = _multiclass(rng, int(rng.integers(2, 11)))
    q = questions.pose("multiclass.first_raise", settings)
    z1 = z - 0.5 * (_softmax(z) - t)
    assert q.truth == q.answer.options[int(np.argmax(z1 - z))]


@pytest.mark.parametrize("seed", range(20))
def test_top_after_training_matches_a_plain_loop(seed):
    rng = np.random.default_rng(seed)
    settings, z, t = _multiclass(rng, int(rng.integers(2, 6)))
    for _ in range(settings["steps"]):
        z = z - settings["lr"] * (_softmax(z) - t)
    q = questions.pose("multiclass.top_after", settings)
    assert q.truth == q.answer.options[int(np.argmax(_softmax(z)))]


def _race(p, q0, lr, steps, tol, loss):
    """The step from which |q - p| <= tol holds to the end of the budget and 50 steps past
    it (the page's "settled"), by plain gradient descent on the logit; -1 if never, and -1
    when η breaks the step-size condition |1 - η ∂²L/∂z²| < 1 at q = p (the run cycles)."""
    s = p * (1 - p)  # σ' at the goal
    curvature = s if loss == "ce" else 2 * s * s
    z = logit(np.clip(q0, 1e-12, 1 - 1e-12))
    if abs(1 - lr * curvature) > 1 and expit(z) != p:
        return -1
    near = []
    for _ in range(steps + 51):
        q = expit(z)
        near.append(abs(q - p) <= tol)
        grad = q - p if loss == "ce" else 2 * (q - p) * q * (1 - q)
        z = z - lr * grad
    arrival = -1
    for step in range(len(near) - 1, -1, -1):
        if not near[step]:
            break
        arrival = step
    return arrival if arrival <= steps else -1


@pytest.mark.parametrize("seed", range(30))
def test_race_winner_and_steps_match_plain_descent(seed):
    rng = np.random.default_rng(seed)
    settings = {
        "p": float(rng.choice([1.0, 0.9, 0.5, 0.0, 0.55])),
        "q0": float(rng.choice([0.001, 0.01, 0.2, 0.8, 0.901])),
        "lr": float(rng.choice([0.3, 1.0, 3.0, 10.0, 30.0])),
        "steps": 300,
        "tol": float(rng.choice([0.01, 0.05, 0.1])),
        "losses": ["cross_entropy", "squared_error"],
    }
    args = [settings[k] for k in ("p", "q0", "lr", "steps", "tol")]
    ce, se = _race(*args, "ce"), _race(*args, "se")
    winner = questions.pose("loss-comparison.winner", settings)
    done = {label: s for label, s in (("cross-entropy", ce), ("squared error", se)) if s >= 0}
    if not done:
        assert winner.truth == "none settles within 300 steps"
        assert "No loss settles within 300 steps" in winner.explanation
    elif len(set(done.values())) == 1 and len(done) == 2:
        assert winner.truth == "a tie"
    else:
        first = min(done, key=done.get)
        assert winner.truth == first
        # the reveal explains the actual winner, with its own step
        assert winner.explanation.startswith(
            f"{first[:1].upper() + first[1:]} settles first, from step {done[first]} on."
        )
    if ce < 0:
        with pytest.raises(ValueError, match=r"does not settle|never settles"):
            questions.pose("loss-comparison.ce_steps", settings)
    else:
        assert questions.pose("loss-comparison.ce_steps", settings).truth == ce


def test_the_race_question_counts_each_loss_toward_its_own_goal():
    """Issue example: on the "Every loss" preset the race shows focal first (it settles at its
    own minimum 0.627... at p = 0.8), and the question's truth says the same."""
    settings = {"p": 0.8, "q0": 0.01, "lr": 1.0, "steps": 700, "tol": 0.05}
    settings["losses"] = ["cross_entropy", "focal"]
    q = questions.pose("loss-comparison.winner", settings)
    from xent.lessons import comparison

    run = comparison.race(0.8, 0.01, 1.0, 700, 0.05, ["cross_entropy", "focal"])
    arrivals = {r.label: int(r.phases.arrival[0]) for r in run.runs}
    assert q.truth == min(arrivals, key=arrivals.get) == "focal (γ = 2)"


def test_answers_are_validated_with_clear_messages():
    q = questions.pose("bernoulli.min_q", {"p": 0.3})
    with pytest.raises(ValueError, match="between 0 and 1"):
        q.answer.parse(1.5)
    with pytest.raises(ValueError, match="must be a number"):
        q.answer.parse("0.3")
    with pytest.raises(ValueError, match="must be a number"):
        q.answer.parse(True)
    choice = questions.pose("bernoulli.step", {"p": 0.3, "q": 0.5})
    with pytest.raises(ValueError, match="one of"):
        choice.answer.parse("sideways")
    steps = questions.pose(
        "loss-comparison.ce_steps", {"p": 1, "q0": 0.01, "lr": 1, "steps": 300, "tol": 0.05}
    )
    with pytest.raises(ValueError, match="whole number"):
        steps.answer.parse(2.5)
    with pytest.raises(ValueError, match="unknown question"):
        questions.pose("nope", {})
    with pytest.raises(ValueError, match="'p' is missing"):
        questions.pose("bernoulli.min_q", {})
    with pytest.raises(ValueError, match="'p' must be between"):
        questions.pose("bernoulli.min_q", {"p": 7})


@pytest.mark.parametrize("k", [2, 3, 4, 6])
def test_options_are_the_page_class_names_for_any_k(k):
    """Issue 20 item 10: the names the page shows (padded with Apple, Gorilla, Rappa, Kite,
    ...), and the true class may be given by one of them."""
    from xent.data import CLASS_NAMES

    settings = {"k": k, "names": "", "ls": 0.0, "lr": 1.0, "steps": 30}
    settings |= {f"z{i + 1}": float(i) for i in range(k)}
    names = tuple(CLASS_NAMES[:k])
    for y, name in enumerate(names):
        by_index = questions.pose("multiclass.top_after", {**settings, "y": y})
        by_name = questions.pose("multiclass.top_after", {**settings, "y": name})
        assert by_index.answer.options == by_name.answer.options == names
        assert by_index.truth == by_name.truth
        assert f"true class {name}" in by_name.prompt
    with pytest.raises(ValueError, match="none of this page's classes"):
        questions.pose("multiclass.top_after", {**settings, "y": "Banana"})


@pytest.mark.parametrize("key", ["loss-comparison.winner", "loss-comparison.ce_steps"])
def test_the_race_questions_take_every_step_budget_the_page_offers(key):
    """The Loss Comparison page's step budget slider ends at 1000: a link at that budget
    poses (with every loss), and a budget the page cannot show is refused by name."""
    settings = {
        "p": 0.9,
        "q0": 0.001,
        "lr": 1.0,
        "tol": 0.01,
        "losses": ["cross_entropy", "squared_error", "absolute_error", "focal"],
    }
    assert questions.pose(key, {**settings, "steps": 1000}).truth is not None
    with pytest.raises(ValueError, match=r"'steps' must be between 1 and 1000; got 1001"):
        questions.pose(key, {**settings, "steps": 1001})
