"""Japanese messages: comparison (the Loss Comparison page, the loss registry's names).

The terms are those of the readings (xent/locales/ja/readings.py), which the page shows beside
these: "push" (|∂L/∂z|) is 押す力, "settle" is 落ち着く, "escape the mistake" is 誤りから
脱出する, a "proper scoring rule" is 適正なスコアリング規則.
"""

MESSAGES: dict[str, str] = {
    # --- the loss registry (xent/losses.py): labels, names in a sentence, formulas in words
    "cross-entropy": "交差エントロピー",
    "squared error": "二乗誤差",
    "absolute error": "絶対誤差",
    "focal (γ = 2)": "フォーカル損失 (γ = 2)",
    "focal": "フォーカル損失",
    "label smoothing (ε = 0.1)": "ラベル平滑化 (ε = 0.1)",
    "label smoothing": "ラベル平滑化",
    "L = |q - p|; dL/dz = sign(q - p) q (1-q)": (
        "L = |q - p|、dL/dz = sgn(q - p) q (1-q)（sgn は符号）"
    ),
    "L = -sum over k of t_k log Q_k; dL/dz = Q - t": (
        "L = -(t_k log Q_k の k についての和)、dL/dz = Q - t"
    ),
    "L = sum over k of (Q_k - t_k)^2; dL/dz = J 2 (Q - t), J the softmax Jacobian": (
        "L = ((Q_k - t_k)^2 の k についての和)、"
        "dL/dz = J 2 (Q - t)（J はソフトマックスのヤコビ行列）"
    ),
    "L = -sum over k of ((1-ε) t_k + ε/K) log Q_k, ε = 0.1; dL/dz = Q - t_ε": (
        "L = -(((1-ε) t_k + ε/K) log Q_k の k についての和)、ε = 0.1、dL/dz = Q - t_ε"
    ),
    # --- the page's state (xent/lessons/comparison.py): presets and the address's keys
    "Confident and wrong (default)": "自信満々で間違い（既定）",
    "Less confident: q₀ = 0.05": "自信控えめ：q₀ = 0.05",
    "Almost right": "ほぼ正解",
    "Hard label p = 1: both slow stretches": "ハードラベル p = 1：遅い区間が両方現れる",
    "Learning rate too large": "学習率が大きすぎる",
    "Every loss": "すべての損失",
    "losses compared (repeat the key)": "比較する損失（キーを繰り返して複数指定）",
    "target probability p": "目標の確率 p",
    "start prediction q₀": "予測の初期値 q₀",
    "learning rate η": "学習率 η",
    "step budget": "ステップ数の上限",
    "threshold: |q - p| at most this": "しきい値：|q - p| がこの値以下",
    # --- the page (pages/loss-comparison.py, xent/ui/comparison.py)
    "Loss comparison: who learns from a confident mistake?": (
        "損失関数の比較：自信満々の間違いから学べるのはどれ？"
    ),
    (
        "The truth is **p** (by default 0.9: the answer is *yes* nine times in ten), but the "
        "model starts out confidently wrong, **q₀** near 0. Cross-entropy and squared error are "
        "both proper scoring rules: averaged over labels drawn with chance p, their loss is "
        "smallest at q = p (for absolute error and focal loss that average is smallest "
        "elsewhere, see under the first chart, although |q − p| itself is smallest at p). So why "
        "pick cross-entropy? Look at the **push** each loss gives the logit z = log(q / (1 − q)), "
        "|∂L/∂z|. "
        "Squared error carries the sigmoid's slope q(1 − q), which is almost 0 when the model "
        "is confidently wrong, so learning stalls (and again near a target of 1, where q(1 − q) "
        "is small too). In cross-entropy that factor cancels: the push is q − p, as large as "
        "the mistake."
    ): (
        "真の確率は **p**（既定は 0.9：十回に九回は答えが *はい*）ですが、モデルは"
        "自信満々に間違えた状態、**q₀** がほぼ 0 から始まります。交差エントロピーと二乗誤差は"
        "どちらも適正なスコアリング規則です：確率 p で引いたラベルについて平均すると、損失は"
        " q = p で最小になります（絶対誤差とフォーカル損失では、その平均が最小になるのは別の"
        "場所です。最初のグラフの下を見てください。ただし |q − p| そのものは p で最小です）。"
        "では、なぜ交差エントロピーを選ぶのでしょうか。各損失がロジット z = log(q / (1 − q)) "
        "に与える **押す力** |∂L/∂z| を見てみましょう。二乗誤差にはシグモイドの傾き q(1 − q) "
        "が掛かっています。モデルが自信満々に間違えているときこの傾きはほぼ 0 なので、学習が"
        "止まってしまいます（目標が 1 に近いときも q(1 − q) が小さくなるので同じです）。"
        "交差エントロピーではこの因子が打ち消され、押す力は q − p、つまり間違いの大きさ"
        "そのものになります。"
    ),
    "Losses to compare": "比較する損失",
    "Target p": "目標 p",
    "Start prediction q₀": "予測の初期値 q₀",
    "Pick at least one loss to compare.": "比較する損失を少なくとも一つ選んでください。",
    "model prediction q": "モデルの予測 q",
    "loss L": "損失 L",
    "push |∂L/∂z|": "押す力 |∂L/∂z|",
    "Line chart of each loss against q.": "各損失を q に対して描いた折れ線グラフ。",
    "Line chart of the size of each loss's gradient with respect to the logit, against q.": (
        "各損失のロジットに関する勾配の大きさを、q に対して描いた折れ線グラフ。"
    ),
    "The race: same start, same learning rate": "レース：同じ初期値、同じ学習率",
    "Step budget": "ステップ数の上限",
    "Threshold: |q − p| at most": "しきい値：|q − p| の上限",
    "Learning rate η": "学習率 η",
    "Line chart of q over the steps for each loss, from the same start, with the step where "
    "each crosses ½ and the step where each comes within the threshold.": (
        "同じ初期値から始めた各損失について、q をステップごとに描いた折れ線グラフ。それぞれが ½ を"
        "越えるステップと、しきい値以内に落ち着くステップに印を付けています。"
    ),
    "The whole reading": "読み取りの全文",
    "Bar chart of the steps each loss needs: escaping the mistake, then approaching.": (
        "各損失に必要なステップ数の棒グラフ：誤りからの脱出と、その後の目標への接近。"
    ),
    "Every start, every learning rate": "すべての初期値、すべての学習率",
    "Heatmap of steps to reach the threshold for {loss}, by start q and learning rate.": (
        "{loss}がしきい値以内に落ち着くまでのステップ数を、初期値 q と学習率ごとに示した"
        "ヒートマップ。"
    ),
    "Download the grid (CSV)": "グリッドをダウンロード（CSV）",
    "Convex or not: the loss against a weight": "凸かどうか：重みに対する損失",
    (
        "A linear model feeds z = x · w into the sigmoid. Plotted against the weight w (one "
        "input x = 1), cross-entropy is a single smooth valley; squared error through the "
        "sigmoid bends down and flattens out far from the answer."
    ): (
        "線形モデルは z = x · w をシグモイドに入れます。重み w に対して描くと（入力は x = 1 の"
        "一つだけ）、交差エントロピーは滑らかな一つの谷になりますが、シグモイドを通した二乗誤差は"
        "下に曲がり、答えから遠いところで平らになります。"
    ),
    "Line chart of the {loss} loss against the weight w.": (
        "{loss}を重み w に対して描いた折れ線グラフ。"
    ),
    # --- readings and chart labels of the lesson (xent/lessons/comparison.py)
    "At the start q₀ = {q0_shown} with target p = {p_shown}: L = {values}{units}.": (
        "初期値 q₀ = {q0_shown}、目標 p = {p_shown} での損失 L：{values}{units}。"
    ),
    "The push |∂L/∂z| at q₀ = {q0_shown}: {values}.": (
        "q₀ = {q0_shown} での押す力 |∂L/∂z|：{values}。"
    ),
    "Cross-entropy pushes {ratio_shown}× harder than squared error here "
    "({ce_shown} / {se_shown}).": (
        "ここでは交差エントロピーが二乗誤差の {ratio_shown} 倍強く押します"
        "（{ce_shown} / {se_shown}）。"
    ),
    "From q₀ = {q0_shown} with η = {lr_shown}, threshold {tol_shown}.": (
        "初期値 q₀ = {q0_shown}、η = {lr_shown}、しきい値 {tol_shown}。"
    ),
    "crosses ½ at step {step}": "ステップ {step} で ½ を越える",
    "within {tol_shown} of {goal_shown} from step {step} on": (
        "ステップ {step} 以降、{goal_shown} との差が {tol_shown} 以内"
    ),
    "target p": "目標 p",
    "{loss} smallest": "{loss}の最小点",
    "diverged": "発散",
    "never settles": "落ち着かない",
    "not within {steps}": "{steps} ステップでは落ち着かない",
    (
        "Each cell is one run: a start q₀ (rows) and a learning rate η (columns). "
        "The number is the step from which the run *settles*: it stays within the threshold of "
        "where that loss is smallest (p, unless the reading below says otherwise) to the end of "
        "the budget and {settle_steps} steps past it. **–** means it has not settled "
        "within the budget, **↻** that it never settles (the learning rate is too large: each "
        "step overshoots, the reading below says why), **✕** that the run diverged. Darker "
        "means faster."
    ): (
        "各セルは一回の学習で、行が初期値 q₀、列が学習率 η です。数字は学習が *落ち着いた* "
        "ステップです：そこから上限のステップを {settle_steps} ステップ過ぎるまで、その損失が"
        "最小になる点（下の読み取りで特に断りがなければ p）からしきい値以内にとどまります。"
        "**–** は上限内に落ち着かなかったこと、**↻** はいつまでも落ち着かないこと"
        "（学習率が大きすぎて毎ステップ行き過ぎます。理由は下の読み取りにあります）、"
        "**✕** は学習が発散したことを表します。色が濃いほど速く落ち着きます。"
    ),
    "steps to settle within {tol_shown} of p = {p_shown}": (
        "p = {p_shown} との差が {tol_shown} 以内に落ち着くまでのステップ数"
    ),
    "steps to settle within {tol_shown} of {goal_shown}, where it is smallest": (
        "最小点 {goal_shown} との差が {tol_shown} 以内に落ち着くまでのステップ数"
    ),
    "{loss} settles within {tol_shown} of p in {reached} of {cells} cells": (
        "{loss}は {cells} セル中 {reached} セルで p との差が {tol_shown} 以内に落ち着きます"
    ),
    (
        "{loss} is smallest at {goal_shown}, not at p (not a proper scoring rule), "
        "so its cells count the steps to settle within {tol_shown} of {goal_shown}: "
        "{reached} of {cells} cells do"
    ): (
        "{loss}は p ではなく {goal_shown} で最小になる（適正なスコアリング規則ではない）ため、"
        "そのセルは {goal_shown} との差が {tol_shown} 以内に落ち着くまでのステップ数です："
        "{cells} セル中 {reached} セルが落ち着きます"
    ),
    "{count} never settle, ↻": "{count} セルは落ち着かない ↻",
    "{count} diverge": "{count} セルは発散",
    "Within {steps} steps, p = {p_shown}: {parts}.": (
        "{steps} ステップ以内、p = {p_shown}：{parts}。"
    ),
    "weight w (one input x = 1, so z = w)": "重み w（入力 x = 1 なので z = w）",
    "bends down": "下に曲がる点",
    (
        "With z = x · w, cross-entropy's curvature is ∂²L/∂w² = x² q(1 − q) ≥ 0 at every w: "
        "convex, one valley, and gradient descent cannot get stuck on a bump (the same holds "
        "for a linear model with many weights). Squared error through the sigmoid is not "
        "convex: at w = {w_shown} (q = {q_shown}) its curvature ∂²E/∂w² = "
        "{curvature_shown} < 0, the curve bends down, and farther out it is almost flat "
        "(q(1 − q) → 0), the plateau where a confidently wrong model stalls."
    ): (
        "z = x · w のとき、交差エントロピーの曲率はどの w でも ∂²L/∂w² = x² q(1 − q) ≥ 0 です："
        "凸で谷は一つだけなので、勾配降下法がこぶに引っかかることはありません（重みが多い線形"
        "モデルでも同じです）。シグモイドを通した二乗誤差は凸ではありません：w = {w_shown}"
        "（q = {q_shown}）では曲率 ∂²E/∂w² = {curvature_shown} < 0 で曲線は下に曲がり、さらに外側"
        "ではほぼ平ら（q(1 − q) → 0）になります。自信満々に間違えたモデルが停滞する台地です。"
    ),
}
