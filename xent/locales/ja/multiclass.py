"""Japanese messages: multiclass (pages/multiclass.py, xent/lessons/multiclass.py,
xent/ui/multiclass.py, and the default class names of xent/data.py)."""

MESSAGES: dict[str, str] = {
    # --- the default class names (xent/data.py): the shiritori りんご → ゴリラ → ラッパ, then
    # the same things as the English names, in plain Japanese
    "Apple": "りんご",
    "Gorilla": "ゴリラ",
    "Rappa": "ラッパ",
    "Kite": "凧",
    "Teapot": "ティーポット",
    "Cactus": "サボテン",
    "Bicycle": "自転車",
    "Penguin": "ペンギン",
    "Lighthouse": "灯台",
    "Umbrella": "傘",
    # --- presets (their names stay English in the state; shown through tr)
    "Somewhat wrong (default)": "やや間違い（既定）",
    "Confident and wrong": "自信満々で間違い",
    "Nearly right": "ほぼ正解",
    "Uniform guess": "一様な予測",
    "Label smoothing": "ラベル平滑化",
    "Ten classes": "十クラス",
    "Overlapping blobs": "重なり合う点群",
    "Extreme logits (numerics)": "極端なロジット（数値計算）",
    # --- what each link key means (present mode lists them)
    "number of classes K": "クラス数 K",
    "class names, comma-separated": "クラス名（カンマ区切り）",
    "the true class (its name)": "正解クラス（その名前）",
    "label smoothing ε": "ラベル平滑化 ε",
    "logits z₁ … z_K": "ロジット z₁ … z_K",
    "learning rate η of the logit descent": "ロジットの勾配降下の学習率 η",
    "steps of the logit descent": "ロジットの勾配降下のステップ数",
    "step shown by the logit scrubber": "ロジットのスライダーで表示するステップ",
    "points per class (softmax regression)": "クラスあたりの点の数（ソフトマックス回帰）",
    "blob spread": "点群の広がり",
    "random seed of the blobs": "点群の乱数シード",
    "learning rate of the softmax regression": "ソフトマックス回帰の学習率",
    "steps of the softmax regression": "ソフトマックス回帰のステップ数",
    "step shown by the regression scrubber": "回帰のスライダーで表示するステップ",
    "size a of the extreme logits z = (a, 0, −a) (numerics)": (
        "極端なロジット z = (a, 0, −a) の大きさ a（数値計算）"
    ),
    # --- the page
    "Multiclass: what is in the picture?": "多クラス分類：写っているのはどれ？",
    "Now there are K answers: an **Apple**, a **Gorilla** or a **Rappa** (a trumpet). "
    "The model gives each class a score, its **logit z**, and the **softmax** turns the scores "
    "into probabilities **Q** that add up to 1. The truth is a one-hot target **t**. "
    "Cross-entropy only looks at the probability of the true class: L = −log Q(true). "
    "Its gradient with respect to the logits is simply **∂L/∂z = Q − t**: the more wrong "
    "the model, the larger the step.": (
        "今度は答えが K 通りあります：**りんご**、**ゴリラ**、**ラッパ**のどれかです。"
        "モデルは各クラスに点数、つまり**ロジット z** をつけ、**ソフトマックス**がその点数を"
        "合計 1 になる確率 **Q** に変えます。正解はワンホットの目標 **t** で表します。"
        "交差エントロピーが見るのは正解クラスの確率だけです：L = −log Q(正解)。"
        "ロジットについての勾配はとても簡単で **∂L/∂z = Q − t** です。"
        "モデルが間違っているほど、ステップは大きくなります。"
    ),
    "1 · Softmax, the target and the loss": "1 · ソフトマックス、目標と損失",
    "**Logits z** (the model's scores)": "**ロジット z**（モデルがつける点数）",
    "Classes and label smoothing": "クラスとラベル平滑化",
    "Number of classes K": "クラス数 K",
    "Label smoothing ε": "ラベル平滑化 ε",
    "Soften the target: t = (1 − ε)·one-hot + ε/K.": (
        "目標をやわらげます：t = (1 − ε)·ワンホット + ε/K。"
    ),
    "True class": "正解クラス",
    "What is really in the picture: the target t is one-hot on this class.": (
        "写真に本当に写っているもの。目標 t はこのクラスを指すワンホットです。"
    ),
    "Class names (comma-separated)": "クラス名（カンマ区切り）",
    "One name per class, separated by commas; each name is cut to {name_chars} characters. "
    "Missing names are filled in with the defaults.": (
        "クラスごとにひとつずつ、カンマで区切って入力します。各名前は {name_chars} 文字までに"
        "切り詰められます。足りない名前は既定の名前で補われます。"
    ),
    "z for {name}": "{name}の z",
    "Bar chart of the model's softmax probabilities beside the one-hot target, per class.": (
        "クラスごとに、モデルのソフトマックス確率とワンホットの目標を並べた棒グラフ。"
    ),
    "−log Q (nats)": "−log Q（nats）",
    "Line chart of minus log Q against Q, steep near Q = 0, with the model's point.": (
        "Q に対する −log Q の折れ線グラフ（Q = 0 の近くで急になる）と、モデルの点。"
    ),
    "Bar chart of the gradient Q minus t for each class.": "各クラスの勾配 Q − t の棒グラフ。",
    "Q_k is e to the z_k over the sum over j of e to the z_j.": (
        "Q_k は、e の z_k 乗を、すべての j についての e の z_j 乗の和で割ったものです。"
    ),
    "the gradient of L with respect to the logit z_k is Q_k minus t_k.": (
        "ロジット z_k についての L の勾配は Q_k − t_k です。"
    ),
    "2 · Gradient descent on the logits": "2 · ロジットの勾配降下法",
    "each step, the logits z become z minus eta times (Q minus t).": (
        "各ステップで、ロジット z は z − η·(Q − t) に置き換わります。"
    ),
    "Learning rate η": "学習率 η",
    "Steps": "ステップ数",
    "probability Q": "確率 Q",
    "Line chart of each class probability over the steps.": (
        "各クラスの確率がステップとともに変わる様子の折れ線グラフ。"
    ),
    "The path of the softmax probabilities across the probability triangle.": (
        "確率の三角形の上をソフトマックス確率が進む経路。"
    ),
    "loss L (nats)": "損失 L（nats）",
    "Line chart of the loss over the steps.": "ステップごとの損失の折れ線グラフ。",
    "With K = 3 this place shows the path across the probability triangle.": (
        "K = 3 のとき、ここに確率の三角形の上の経路が表示されます。"
    ),
    "**Cross-entropy against squared error**: Q({label}) from the same logits, "
    "the same η and steps, towards the one-hot target.": (
        "**交差エントロピー対二乗誤差**：同じロジット、同じ η とステップ数から、"
        "ワンホットの目標に向かう Q({label})。"
    ),
    "Line chart of the true class's probability over the steps, descending "
    "cross-entropy and squared error from the same logits.": (
        "同じロジットから交差エントロピーと二乗誤差をそれぞれ降下したときの、"
        "正解クラスの確率の変化を示す折れ線グラフ。"
    ),
    "3 · Softmax regression on 2-D points": "3 · 2次元の点でのソフトマックス回帰",
    "A real classifier does not set logits by hand: it computes them from features, "
    "z = W·[x₁, x₂, 1]. Gradient descent on the mean cross-entropy of all points "
    "finds W; the shaded regions show which class the model picks where.": (
        "実際の分類器はロジットを手で決めません。特徴量から z = W·[x₁, x₂, 1] と計算します。"
        "全点の交差エントロピーの平均に勾配降下法を使って W を求めます。色のついた領域は、"
        "モデルがどこでどのクラスを選ぶかを示しています。"
    ),
    "Points per class": "クラスあたりの点の数",
    "Spread of each blob": "点群の広がり",
    "Random seed": "乱数シード",
    "Scatter plot of the points by class over the shaded decision regions of the model.": (
        "モデルの決定領域（色分け）の上に、クラスごとの点を描いた散布図。"
    ),
    "loss (nats)": "損失（nats）",
    "Line chart of the mean cross-entropy over the training steps.": (
        "学習のステップごとの交差エントロピーの平均の折れ線グラフ。"
    ),
    "accuracy": "正解率",
    "Line chart of the fraction of points classified right over the training steps.": (
        "学習のステップごとの、正しく分類された点の割合の折れ線グラフ。"
    ),
    "4 · Numerics: why frameworks take logits": (
        "4 · 数値計算：なぜフレームワークはロジットを受け取るのか"
    ),
    "On paper log(softmax(z)) is fine. In floating point, exp(z) overflows past z ≈ 709 and "
    "a tiny probability rounds to 0, whose log is −∞. The log-sum-exp form subtracts the "
    "largest logit first and never takes the log of a rounded probability; this is why loss "
    "functions take the logits z, not the probabilities.": (
        "ソフトマックスの対数 log(softmax(z)) は、紙の上なら問題ありません。しかし浮動小数点"
        "では z ≈ 709 を超えると exp(z) がオーバーフローし、"
        "ごく小さな確率は 0 に丸められて、その log は −∞ になります。"
        "log-sum-exp の形では最大のロジットを先に引くので、丸められた確率の "
        "log をとることがありません。損失関数が確率ではなくロジット z を受け取るのはこのため"
        "です。"
    ),
    "Logit size a in z = (a, 0, −a)": "z = (a, 0, −a) のロジットの大きさ a",
    # --- the lesson's readings (xent/lessons/multiclass.py)
    "The model gives {label} Q = {q_shown}; the target puts {t_shown} there.": (
        "モデルは{label}に Q = {q_shown} を与えています。目標 t ではそこが {t_shown} です。"
    ),
    " and ": "と",
    " Its top guess is a tie between {names} ({q_shown} each, as shown).": (
        "いちばん確率の高い予測は{names}の同点です（表示の桁ではどれも {q_shown}）。"
    ),
    " Its top guess is {label} ({q_shown}): wrong.": (
        "いちばん確率の高い予測は{label}（{q_shown}）で、不正解です。"
    ),
    " Its top guess is right.": "いちばん確率の高い予測は正解です。",
    "With label smoothing ε = {eps_shown} the loss is the whole sum "
    "L = −Σ t log Q = {loss_shown} nats, not −log Q({label}) alone: every class has a "
    "target t > 0, so a model sure of {label} (Q = 1, every other Q = 0) would pay ∞. "
    "L is smallest at Q = t.": (
        "ラベル平滑化 ε = {eps_shown} では、損失は −log Q({label}) だけではなく、和全体 "
        "L = −Σ t log Q = {loss_shown} nats です。どのクラスも目標 t > 0 をもつので、"
        "{label}だと確信したモデル（Q = 1、ほかの Q はすべて 0）は ∞ を払うことになります。"
        "L が最小になるのは Q = t のときです。"
    ),
    "−log Q({label}) = −log {q_shown} = {nll_shown} nats; "
    "a model sure of the truth (Q = 1) would pay 0. ": (
        "−log Q({label}) = −log {q_shown} = {nll_shown} nats です。"
        "正解を確信したモデル（Q = 1）なら 0 で済みます。"
    ),
    "∂L/∂z = Q − t: {entries}. Negative entries get raised by a gradient step, "
    "positive ones lowered; they sum to 0.": (
        "∂L/∂z = Q − t：{entries}。勾配のステップで、成分が負のロジットは上がり、正のロジット"
        "は下がります。成分の合計は 0 です。"
    ),
    "L is minus the sum of t_k log Q_k: with label smoothing every class has "
    "t_k > 0, so every term counts (not only minus log Q of the true class).": (
        "L は t_k log Q_k の和にマイナスをつけたものです。ラベル平滑化ではどのクラスも t_k > 0 "
        "なので、正解クラスの −log Q だけでなく、すべての項が効きます。"
    ),
    "true": "正解",
    "L is minus the sum of t_k log Q_k: for a one-hot t, minus log Q of the true class.": (
        "L は t_k log Q_k の和にマイナスをつけたものです。"
        "t がワンホットなら、正解クラスの −log Q です。"
    ),
    "Without label smoothing (ε = 0) the target is one-hot: L = −log Q({label}) "
    "falls towards 0 only as Q → one-hot, which no finite logits reach, so descent "
    "keeps pushing the logits apart: the model grows ever more confident.": (
        "ラベル平滑化なし（ε = 0）では、目標はワンホットです。L = −log Q({label}) が 0 に"
        "近づくのは Q がワンホットに近づくときだけで、有限のロジットではそこに届きません。"
        "そのため降下はロジットどうしを引き離し続け、モデルはどこまでも自信を強めていきます。"
    ),
    "Label smoothing ε = {eps_shown} trains on a softer target, against "
    "over-confidence: t({label}) = 1 − ε + ε/K = {t_true_shown} and every other class "
    "ε/K = {t_other_shown}. The minimum of L is then no longer at Q = one-hot but at "
    "Q = t, where L = H(t) = {entropy_shown} nats and the gradient Q − t is 0: "
    "finite logits reach it, so descent stops pushing them apart.": (
        "ラベル平滑化 ε = {eps_shown} は、自信過剰を防ぐために、やわらかい目標で学習させます："
        "t({label}) = 1 − ε + ε/K = {t_true_shown}、ほかのクラスはどれも "
        "ε/K = {t_other_shown} です。このとき L の最小は Q = ワンホットではなく Q = t にあり、"
        "そこで L = H(t) = {entropy_shown} nats、勾配 Q − t は 0 です。有限のロジットで"
        "そこに届くので、降下はロジットどうしを引き離すのをやめます。"
    ),
    "Step {step}: Q({label}) = {q_shown}, L = {loss_shown} nats. "
    "From Q = {start_shown} at the start to {end_shown} "
    "after {steps_shown} (L = {loss_end_shown}).": (
        "ステップ {step}：Q({label}) = {q_shown}、L = {loss_shown} nats。"
        "Q は最初の {start_shown} から、{steps_shown}後には {end_shown} になります"
        "（L = {loss_end_shown}）。"
    ),
    "Q = t, inside the triangle ({label} {on_shown}, the others {off_shown} each)": (
        "三角形の内側の Q = t（{label} {on_shown}、ほかはそれぞれ {off_shown}）"
    ),
    "is meant for the smoothed target {target}, but with this learning rate the "
    "steps overshoot it and the path does not settle there": (
        "平滑化した目標を目指しますが、この学習率ではステップが行き過ぎてしまい、"
        "経路はそこに落ち着きません。目標は{target}です"
    ),
    "heads for the smoothed target {target}, not the ★ {label} corner": (
        "★ {label}の頂点ではなく、平滑化した目標へ向かいます。目標は{target}です"
    ),
    "heads for the ★ {label} corner": "★ {label}の頂点へ向かいます",
    "Each point is one Q: a corner means certainty. The path starts at "
    "({start_shown}) and {goal}; at step {step} it is at ({now_shown}).": (
        "三角形の各点がひとつの Q で、頂点は確信を表します。経路は ({start_shown}) から始まり、"
        "{goal}。ステップ {step} では ({now_shown}) にあります。"
    ),
    "cross-entropy": "交差エントロピー",
    "squared error": "二乗誤差",
    " Both race to the one-hot target, without label smoothing.": (
        "どちらも、ラベル平滑化なしのワンホットの目標に向かって競います。"
    ),
    "At step {step}: mean loss {loss_shown} nats (from "
    "{start_shown} = log K at the start), {accuracy_shown} of the "
    "{n_points} points classified right.": (
        "ステップ {step}：平均損失は {loss_shown} nats（最初は {start_shown} = log K）で、"
        "{n_points} 個の点のうち {accuracy_shown} を正しく分類しています。"
    ),
    " From step {first} to {last} accuracy stayed at {accuracy_shown}% "
    "while the loss fell from {loss_first_shown} to {loss_last_shown}: the "
    "probability given to the true classes (geometric mean exp(−L)) rose from "
    "{before} to {after}, a growing confidence accuracy cannot see.": (
        "ステップ {first} から {last} まで正解率は {accuracy_shown}% のままでしたが、損失は "
        "{loss_first_shown} から {loss_last_shown} に下がりました。正解クラスに与えられた確率"
        "（幾何平均 exp(−L)）は {before} から {after} に上がっています。"
        "正解率には見えない、自信の高まりです。"
    ),
    "naive log(exp(z) / Σ exp(z))": "素朴な計算 log(exp(z) / Σ exp(z))",
    "log-sum-exp: z − max z − log Σ exp(z − max z)": (
        "log-sum-exp の形：z − max z − log Σ exp(z − max z)"
    ),
}
