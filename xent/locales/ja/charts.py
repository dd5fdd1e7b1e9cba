"""Japanese messages: charts (xent/charts.py, xent/frames.py, xent/ui/drawing.py)."""

_SUMMARY = (
    "{quantity}は {first_y}（{x_name} {first_x}）から始まり、{last_y}（{x_name} {last_x}）で"
    "終わります。最小値は {x_name} {low_x} での {low_y} です。"
)

MESSAGES: dict[str, str] = {
    # xent/charts.py: axis, legend and tooltip titles
    "line": "線",
    "curve": "曲線",
    "gap": "差",
    "point": "点",
    "zero": "ゼロ",
    "zero: no push": "ゼロ：押す力なし",
    "step t": "ステップ t",
    "series": "系列",
    "marker at step t": "マーカー（ステップ t）",
    "loss": "損失",
    "phase": "段階",
    "prediction q": "モデルの予測 q",
    "from step": "開始ステップ",
    "to step": "終了ステップ",
    "result": "結果",
    "steps": "ステップ数",
    "probability": "確率",
    "class": "クラス",
    "a gradient step will": "勾配のステップで",
    "raise this logit": "このロジットを上げる",
    "lower this logit": "このロジットを下げる",
    "leave it": "そのまま",
    "feature x₁": "特徴量 x₁",
    "feature x₂": "特徴量 x₂",
    "predicted class": "予測クラス",
    "its probability": "その確率",
    "true class": "正解クラス",
    "corner: Q certain of": "頂点：Q が確信するクラス",
    "start q₀": "初期値 q₀",
    "learning rate η": "学習率 η",
    # the race and the grid
    "● where a run crosses ½": "● q が ½ を越えたところ",
    "◆ where it comes within the threshold": "◆ しきい値の内側に入ったところ",
    "decision line q = ½": "決定境界 q = ½",
    "solid: escaping the mistake (to ½)": "濃い色：誤りからの脱出（½ まで）",
    "faded: approaching the goal": "薄い色：目標への接近",
    "crosses ½": "½ を越える",
    "settled within threshold": "しきい値内に落ち着く",
    "escape to ½": "½ までの脱出",
    "approach to goal": "目標への接近",
    "not reached": "未到達",
    "settled from step {step_number}": "ステップ {step_number} で落ち着く",
    "diverged": "発散",
    "never settles: cycles": "落ち着かない：振動",
    "not settled within {budget_steps} steps": "{budget_steps} ステップ以内に落ち着かず",
    "↻ never settles": "↻ 落ち着かない",
    "✕ diverged": "✕ 発散",
    "– not within budget": "– 上限内に落ち着かず",
    # the data in words (a chart's text alternative)
    "{quantity} starts at {first_y} ({x_name} {first_x}), ends at {last_y} ({x_name} "
    "{last_x}), lowest {low_y} at {x_name} {low_x}.": _SUMMARY,
    "{series_name}: {quantity} starts at {first_y} ({x_name} {first_x}), ends at {last_y} "
    "({x_name} {last_x}), lowest {low_y} at {x_name} {low_x}.": "{series_name}：" + _SUMMARY,
    # xent/frames.py: series names and labels, notes under a chart's title
    "Clipped at L = {L_top} nats: L → ∞ as q → 0 or 1.": (
        "L = {L_top} nats で切っています。q → 0 または 1 で L → ∞ です。"
    ),
    "L = ∞ at q = {q_shown}: the point sits on the top edge.": (
        "q = {q_shown} では L = ∞ です。点は上端に置いています。"
    ),
    "Clipped at {L_top} nats: −log Q → ∞ as Q → 0.": (
        "{L_top} nats で切っています。Q → 0 で −log Q → ∞ です。"
    ),
    "Clipped at L = {L_top}: {loss_name} runs above it.": (
        "L = {L_top} で切っています。{loss_name}はそれより上を通ります。"
    ),
    "Clipped at L = {L_top}: {loss_names} run above it.": (
        "L = {L_top} で切っています。{loss_names}はそれより上を通ります。"
    ),
    "{names_so_far} and {loss_name}": "{names_so_far}と{loss_name}",
    "minimum q = p": "最小点 q = p",
    "model q": "モデルの q",
    "floor H(p)": "下限 H(p)",
    "p̂ from the draws": "引いた玉からの p̂",
    "p of the box": "箱の p",
    "model Q": "モデルの Q",
    "target t": "目標 t",
    "-log Q(true class)": "-log Q(正解クラス)",
    "cross-entropy": "交差エントロピー",
    "mean cross-entropy": "平均交差エントロピー",
    "accuracy": "正解率",
    # xent/ui/drawing.py
    "**Reading:**": "**読み取り：**",
    "In words: {formula_in_words}": "式を言葉で：{formula_in_words}",
    "Download this run (CSV)": "この実行結果をダウンロード（CSV）",
}
