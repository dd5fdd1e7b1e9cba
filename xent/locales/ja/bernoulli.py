"""Japanese messages: bernoulli (pages/bernoulli.py, xent/lessons/bernoulli.py)."""

MESSAGES: dict[str, str] = {
    # --- the page's header and intro ("About this page") ---
    "Bernoulli: one yes-or-no outcome": "ベルヌーイ：「はい」か「いいえ」かの二択",
    "A box holds red and white balls; draw one. The truth is **p**, the chance of red. "
    "A model says **q**. Cross-entropy scores the model by how surprised it is, on average, "
    "by what really comes out of the box. Move **q** and watch the loss: it is lowest "
    "exactly when the model says the truth, **q = p**, and it never goes below the "
    "box's own uncertainty, the entropy **H(p)**.": (
        "箱に赤玉と白玉が入っていて、そこから玉をひとつ取り出します。真の確率 **p** は"
        "赤玉が出る確率です。モデルの予測は **q** です。交差エントロピーは、"
        "箱から実際に出てくる玉にモデルが平均してどれだけ驚くかで、モデルを採点します。"
        "**q** を動かして損失を見てみましょう。損失が最小になるのは、モデルが真の値を"
        "言い当てたとき、つまりちょうど **q = p** のときです。そして損失は、"
        "箱そのものの不確かさであるエントロピー **H(p)** を下回ることはありません。"
    ),
    # --- presets (stored by their English name, shown in Japanese) ---
    "Box: 2 red, 8 white": "箱：赤玉 2 個、白玉 8 個",
    "Fair coin: 5 red, 5 white": "公平なコイン：赤玉 5 個、白玉 5 個",
    "Confident and wrong": "自信満々で間違い",
    "Learning rate too large": "学習率が大きすぎる",
    "Sure thing: all red": "確実：すべて赤玉",
    # --- the controls, as present mode lists them ---
    "red balls in the box": "箱の赤玉の数",
    "white balls in the box": "箱の白玉の数",
    "true probability of red": "赤玉が出る真の確率",
    "model prediction": "モデルの予測",
    "neuron input x₁": "ニューロンの入力 x₁",
    "neuron input x₂": "ニューロンの入力 x₂",
    "start weight w₁": "重みの初期値 w₁",
    "start weight w₂": "重みの初期値 w₂",
    "learning rate η": "学習率 η",
    "gradient steps": "勾配のステップ数",
    "step shown by the scrubber": "スライダーで表示するステップ",
    "balls drawn by the sampler": "サンプラーが引く玉の数",
    "random seed of the sampler": "サンプラーの乱数シード",
    # --- section 1: the box and the loss of a prediction q ---
    "1 · The loss of a prediction q": "1 · 予測 q の損失",
    "Red balls": "赤玉の数",
    "White balls": "白玉の数",
    "True probability p (of red)": "赤玉が出る真の確率 p",
    "Set by the ball counts; or move it yourself.": (
        "玉の数から決まります。自分で動かすこともできます。"
    ),
    "The box is empty: p is set directly.": "箱は空です。p は直接設定されています。",
    "The box: {reds} red of {total} balls, so p = {reds}/{total} = {ratio}.": (
        "箱：{total} 個のうち赤玉が {reds} 個なので、p = {reds}/{total} = {ratio} です。"
    ),
    "p is set directly (the box of {reds} red and {whites} white would give {ratio}).": (
        "p は直接設定されています（赤玉 {reds} 個・白玉 {whites} 個の箱なら {ratio} になります）。"
    ),
    "Model prediction q": "モデルの予測 q",
    "What the model says P(red) is.": "モデルが考える P(赤) の値です。",
    "L equals minus p log q minus (1 minus p) log (1 minus q).": (
        "L は、マイナス p log q マイナス (1 マイナス p) log (1 マイナス q) です。"
    ),
    "model prediction q": "モデルの予測 q",
    "loss L (nats)": "損失 L（nats）",
    "Line chart of the cross-entropy L against the model prediction q, with its minimum "
    "at q = p.": (
        "モデルの予測 q に対する交差エントロピー L の折れ線グラフ。q = p で最小になります。"
    ),
    "Line chart of the gradient q minus p against q: a straight line crossing zero at "
    "q = p.": "q に対する勾配 q − p の折れ線グラフ。q = p でゼロを横切る直線です。",
    "L = {loss} nats at q = {q_shown}; the minimum {floor} is at q = p = {p_shown}. "
    "{decomposition} nats: KL(p‖q) is what the model pays on top of the floor.": (
        "q = {q_shown} での損失は L = {loss} nats です。最小値 {floor} は q = p = {p_shown} "
        "のときです。{decomposition} nats。KL(p‖q) は、モデルが下限に上乗せして払う分です。"
    ),
    "With z = log(q / (1 − q)), the logit (q = σ(z); section 2's neuron calls it y): ": (
        "z = log(q / (1 − q)) をロジットとします（q = σ(z)。セクション 2 のニューロンではこれを y "
        "と呼びます）。"
    ),
    "∂L/∂z = q − p = 0 at q = {q_shown}: the gradient is zero, the model already says the truth.": (
        "q = {q_shown} では ∂L/∂z = q − p = 0 です。勾配はゼロで、モデルはすでに真の値を"
        "言い当てています。"
    ),
    "∂L/∂z = q − p = {gradient} at q = {q_shown}, but there the logit z = {infinity}: "
    "a finite step η (q − p) cannot move it, so gradient descent leaves q at {q_shown}.": (
        "q = {q_shown} では ∂L/∂z = q − p = {gradient} ですが、そこではロジットが "
        "z = {infinity} です。有限のステップ η (q − p) では z を動かせないので、"
        "勾配降下法は q を {q_shown} のまま動かしません。"
    ),
    "∂L/∂z = q − p = {gradient} at q = {q_shown}: a gradient step lowers z, so q falls "
    "towards p = {p_shown}.": (
        "q = {q_shown} では ∂L/∂z = q − p = {gradient} です。勾配のステップで z が下がるので、"
        "q は p = {p_shown} に向かって下がります。"
    ),
    "∂L/∂z = q − p = {gradient} at q = {q_shown}: a gradient step raises z, so q rises "
    "towards p = {p_shown}.": (
        "q = {q_shown} では ∂L/∂z = q − p = {gradient} です。勾配のステップで z が上がるので、"
        "q は p = {p_shown} に向かって上がります。"
    ),
    # --- section 2: the neuron ---
    "2 · A neuron learns q = p": "2 · ニューロンが q = p を学習する",
    "One neuron: inputs x₁, x₂, weights w₁, w₂, output q = σ(x₁w₁ + x₂w₂). "
    "Gradient descent moves the weights a step against the gradient, over and over.": (
        "ニューロンはひとつ：入力 x₁, x₂、重み w₁, w₂、出力 q = σ(x₁w₁ + x₂w₂)。"
        "勾配降下法は、重みを勾配と逆向きに少しずつ動かすことを何度も繰り返します。"
    ),
    "q is the sigmoid of x1 w1 + x2 w2.": "q は x1 w1 + x2 w2 のシグモイドです。",
    "each step, w_i becomes w_i minus eta times x_i times (q minus p).": (
        "各ステップで、w_i は「w_i マイナス eta かける x_i かける (q マイナス p)」に"
        "置き換わります。"
    ),
    "Input x₁": "入力 x₁",
    "Input x₂": "入力 x₂",
    "Start weight w₁": "重みの初期値 w₁",
    "Start weight w₂": "重みの初期値 w₂",
    "Learning rate η": "学習率 η",
    "Steps": "ステップ数",
    "The loss curve L(q) with the neuron's predictions at every step marked along it.": (
        "損失曲線 L(q)。各ステップでのニューロンの予測を曲線上に点で示しています。"
    ),
    "step {step}": "ステップ {step}",
    "Dots: q and L after each gradient step.": "点：勾配の各ステップ後の q と L。",
    "Step {step}: q = {q_shown}, L = {loss} nats. After all {steps} q = {q_end} "
    "(p = {p_shown}), L = {loss_end}, the floor H(p) = {floor}.": (
        "ステップ {step} では q = {q_shown}、L = {loss} nats です。全 {steps}の後は q = {q_end}"
        "（p = {p_shown}）、L = {loss_end}、下限 H(p) = {floor} です。"
    ),
    " The run diverged: the learning rate is too large.": (
        "学習は発散しました。学習率が大きすぎます。"
    ),
    " The loss went up, not down: the learning rate is too large, the steps overshoot.": (
        "損失が下がらずに上がりました。学習率が大きすぎて、ステップが行き過ぎています。"
    ),
    " The learning rate is too large for this p: a step moves y = x · w by "
    "−η |x|² (q − p), so near q = p it multiplies y's distance from its goal by "
    "1 − η |x|² p(1 − p), and |1 − {learning_rate} × {norm2} × {slope}| = {factor} > 1: "
    "each step overshoots, so q jumps back and forth around p and never settles.": (
        "この p に対しては学習率が大きすぎます。各ステップで y = x · w は −η |x|² (q − p) "
        "だけ動くので、q = p の近くでは、y とその目標との距離が毎回 1 − η |x|² p(1 − p) "
        "倍になります。ここで |1 − {learning_rate} × {norm2} × {slope}| = {factor} > 1 "
        "なので、毎回行き過ぎてしまい、q は p のまわりを行ったり来たりして落ち着きません。"
    ),
    "Line chart of the prediction q over the steps, approaching the dashed line "
    "q = p.": "ステップごとの予測 q の折れ線グラフ。破線 q = p に近づいていきます。",
    "prediction q": "モデルの予測 q",
    "target q = p": "目標 q = p",
    "weights w": "重み w",
    "Line chart of the two weights over the steps.": "ステップごとの二つの重みの折れ線グラフ。",
    # --- the chain rule ---
    "The chain rule, factor by factor (at the marked step)": (
        "連鎖律を因子ごとに（印のついたステップで）"
    ),
    "dL/dw_i = dy/dw_i times dq/dy times dL/dq = x_i times sigma'(y) times dL/dq, with "
    "sigma'(y) = q(1 - q) and dL/dq = -p/q + (1-p)/(1-q), "
    "which simplifies to x_i (q - p): the sigmoid's slope cancels.": (
        "dL/dw_i = dy/dw_i かける dq/dy かける dL/dq = x_i かける σ'(y) かける dL/dq。"
        "ここで σ'(y) = q(1 - q)、dL/dq = -p/q + (1-p)/(1-q) なので、整理すると "
        "x_i (q - p) になります。シグモイドの傾きが約分で消えるのです。"
    ),
    "factor": "因子",
    "product of the three, as shown": "表示した三つの因子の積",
    "xᵢ (q − p), the cancelled form": "xᵢ (q − p)（約分した形）",
    "finite difference": "有限差分",
    "x_i × σ′(y) × ∂L/∂q = {factors}: in double precision σ′(y) rounds to 0 and "
    "∂L/∂q to ∞, so the product cannot be formed from the factors. The cancelled "
    "form x_i (q − p) = {exact} still can.": (
        "x_i × σ′(y) × ∂L/∂q = {factors}：倍精度では σ′(y) が 0 に、∂L/∂q が ∞ に"
        "丸められるため、因子から積を求めることはできません。約分した形 "
        "x_i (q − p) = {exact} なら求められます。"
    ),
    "x_i × σ′(y) × ∂L/∂q = {factors} = {product} (each factor rounded to 3 figures); "
    "without rounding, x_i (q − p) = {exact} too.": (
        "x_i × σ′(y) × ∂L/∂q = {factors} = {product}（各因子は有効数字 3 桁に丸めています）。"
        "丸めなくても x_i (q − p) = {exact} で、同じ値です。"
    ),
    "x_i × σ′(y) × ∂L/∂q = {factors} = {product} (each factor rounded to 3 figures); "
    "without rounding, x_i (q − p) = {exact}, the difference is the rounding.": (
        "x_i × σ′(y) × ∂L/∂q = {factors} = {product}（各因子は有効数字 3 桁に丸めています）。"
        "丸めなければ x_i (q − p) = {exact} で、差は丸めによるものです。"
    ),
    " The finite difference gives {estimate}: they agree.": (
        "有限差分では {estimate} となり、x_i (q − p) と一致します。"
    ),
    " The finite difference gives {estimate}: the difference is the finite step.": (
        "有限差分では {estimate} となり、その差は有限の刻み幅によるものです。"
    ),
    "At step {step}: y = {y_shown}, q = σ(y) = {q_shown}, σ′(y) = q(1 − q) = {slope}. "
    "For w₁: {chain_rule}": (
        "ステップ {step} では y = {y_shown}、q = σ(y) = {q_shown}、"
        "σ′(y) = q(1 − q) = {slope} です。w₁ については：{chain_rule}"
    ),
    # --- section 3: the sampler ---
    "3 · Learn from draws": "3 · 引いた玉から学ぶ",
    "In real life nobody tells us p. We draw balls and train on what we saw. "
    "The balls are drawn from the box above. The model then learns the share of red "
    "**in the draws**, p̂, which is near the box's share of red when we draw many balls "
    "(that is p, unless p was set directly).": (
        "実際には、誰も p を教えてくれません。玉を引いて、見た結果から学習します。"
        "玉は上の箱から引きます。するとモデルが学ぶのは**引いた玉の中の**赤玉の割合 p̂ です。"
        "たくさん引けば、p̂ は箱の中の赤玉の割合（p を直接設定していなければ、それが p です）"
        "に近づきます。"
    ),
    "Balls drawn N": "引く玉の数 N",
    "Random seed": "乱数シード",
    "The same seed draws the same balls.": "同じシードなら同じ玉が引かれます。",
    "The box is empty: add a red or a white ball to draw from it.": (
        "箱が空です。玉を引くには、赤玉か白玉を入れてください。"
    ),
    "Line chart of q over the steps of training on the drawn balls, approaching "
    "p-hat.": "引いた玉で学習したときの、ステップごとの q の折れ線グラフ。p̂ に近づいていきます。",
    "The box's p = {p_box}. ": "箱の p = {p_box}。",
    "The balls are drawn from the box, whose share of red is {p_box}, not from the "
    "p = {p_set} set directly above: p̂ comes near {p_box} with many draws, not near "
    "that p. ": (
        "玉は箱から引かれます。その箱の赤玉の割合は {p_box} で、上で直接設定した "
        "p = {p_set} ではありません。たくさん引くと p̂ は {p_box} に近づき、その p には"
        "近づきません。"
    ),
    "No draws yet: there is no likelihood to maximise.": (
        "まだ玉を引いていません。最大化する尤度がありません。"
    ),
    "Drawn: {reds} red of {draws}, so p̂ = {p_hat}, the maximum-likelihood estimate: "
    "of all q it makes these draws most probable. The mean cross-entropy over the draws "
    "is their average negative log-likelihood, so descending it maximises the likelihood.": (
        "引いた {draws} 個のうち赤玉は {reds} 個なので、p̂ = {p_hat} です。これが最尤推定値で、"
        "すべての q の中で、この結果を最も起こりやすくする値です。引いた玉についての"
        "交差エントロピーの平均は負の対数尤度の平均なので、これを下げることは尤度を"
        "最大にすることになります。"
    ),
    " After {steps} q = {q_end} = p̂ (to the decimals shown).": (
        "{steps}の後、q = {q_end} = p̂ です（表示した桁まで）。"
    ),
    " p̂ = {p_hat} is an end no sigmoid output reaches: after {steps} q = {q_end}, "
    "and it only creeps closer with more steps.": (
        "p̂ = {p_hat} はシグモイドの出力が決して届かない端の値です。{steps}の後で "
        "q = {q_end} となり、ステップを増やしてもじわじわ近づくだけです。"
    ),
    " After {steps} q = {q_end}, not yet p̂ = {p_hat}: training has not converged.": (
        "{steps}の後で q = {q_end} となり、まだ p̂ = {p_hat} には届いていません。"
        "学習は収束していません。"
    ),
}
