"""Japanese messages: readings (the sentences of ``xent.explanations``).

Each reading keeps the English one's numbers and formulas: the numbers are formatted once in
``xent.explanations`` and filled into both languages' sentences. A sentence that comes and
goes with a condition is appended through ``"{reading} …"``, joined without a space.
"""

MESSAGES: dict[str, str] = {
    "undefined": "未定義",
    # --- steps and the race -------------------------------------------------------------
    "{count} step": "{count} ステップ",
    "{count} steps": "{count} ステップ",
    "{goal_shown}, where this loss is smallest (not p = {p_shown})": (
        "{goal_shown}（p = {p_shown} ではなく、この損失が最小になる点）"
    ),
    "within {tolerance} of {goal}": "{goal} から {tolerance} 以内",
    "{reading} It diverged.": "{reading}学習は発散しました。",
    "{label} never crosses ½ to the right side in the {run_length} run.": (
        "{label}は {run_length}の学習の間、一度も ½ を越えて正しい側へ移りません。"
    ),
    "{label}: p = ½ has no wrong side, so the whole run is approach, and it never settles "
    "{within}: it keeps jumping back and forth.": (
        "{label}：p = ½ には誤った側がないので、学習全体が目標への接近です。しかし"
        " {within}に落ち着くことはなく、行ったり来たりを続けます。"
    ),
    "{label}: p = ½ has no wrong side, so the whole run is approach, and in {run_length} it "
    "does not settle {within}.": (
        "{label}：p = ½ には誤った側がないので、学習全体が目標への接近です。"
        "{run_length}では {within}に落ち着きません。"
    ),
    "{label}: p = ½ has no wrong side, so the whole run is approach, and in {run_length} it "
    "does not settle {within}, overshooting the goal on the way.": (
        "{label}：p = ½ には誤った側がないので、学習全体が目標への接近です。"
        "{run_length}では途中で目標を行き過ぎ、{within}に落ち着きません。"
    ),
    "{label}: p = ½ has no wrong side, so the whole run is approach: {arrival_steps} to settle "
    "{within}.": (
        "{label}：p = ½ には誤った側がないので、学習全体が目標への接近です。"
        "{within}に落ち着くまでに {arrival_steps}かかります。"
    ),
    "{label}: p = ½ has no wrong side, so the whole run is approach: {arrival_steps} to settle "
    "{within}, overshooting the goal on the way.": (
        "{label}：p = ½ には誤った側がないので、学習全体が目標への接近です。"
        "途中で目標を行き過ぎながら、{within}に落ち着くまでに {arrival_steps}かかります。"
    ),
    "{label} starts on the right side of ½ (0 steps to escape)": (
        "{label}は最初から ½ の正しい側にあり（誤りからの脱出に 0 ステップ）"
    ),
    "{label} takes {escape_steps} to escape the mistake (cross ½)": (
        "{label}は誤りから脱出する（½ を越える）のに {escape_steps}かかり"
    ),
    "{first}, then never settles {within}: it keeps jumping back and forth around it.": (
        "{first}、その後は {within}に落ち着くことなく、目標の周りを行ったり来たりし続けます。"
    ),
    "{first}, then in the {remaining} left does not settle {within}.": (
        "{first}、その後、残りの {remaining}では {within}に落ち着きません。"
    ),
    "{first}, then in the {remaining} left does not settle {within}, overshooting the goal on "
    "the way.": (
        "{first}、その後、残りの {remaining}では途中で目標を行き過ぎ、{within}に落ち着きません。"
    ),
    "{first}, then {approach_count} more to settle {within}: {arrival_count} in all.": (
        "{first}、その後さらに {approach_count} ステップで {within}に落ち着きます"
        "（合計 {arrival_count} ステップ）。"
    ),
    "{first}, then {approach_count} more to settle {within}, overshooting the goal on the way: "
    "{arrival_count} in all.": (
        "{first}、その後、途中で目標を行き過ぎながら、さらに {approach_count} ステップで"
        " {within}に落ち着きます（合計 {arrival_count} ステップ）。"
    ),
    "Escaping the mistake, {slow_label} took {ratio}× as many steps as {fast_label} "
    "({slow_count} vs {fast_count}).": (
        "誤りからの脱出では、{slow_label}は{fast_label}の {ratio} 倍のステップがかかりました"
        "（{slow_count} 対 {fast_count}）。"
    ),
    "Approaching the goal, {slow_label} took {ratio}× as many steps as {fast_label} "
    "({slow_count} vs {fast_count}).": (
        "目標への接近では、{slow_label}は{fast_label}の {ratio} 倍のステップがかかりました"
        "（{slow_count} 対 {fast_count}）。"
    ),
    # --- settling -------------------------------------------------------------------------
    "{label} cannot settle at its goal: its push does not shrink near it (its size stays "
    "q(1 − q), about {size_shown} at q = {goal_shown}), so each step jumps across the goal by "
    "up to η q(1 − q) in z.": (
        "{label}は目標に落ち着けません。目標の近くでも押す力が小さくならず（その大きさは "
        "q(1 − q) のままで、q = {goal_shown} ではおよそ {size_shown}）、各ステップが z の上で"
        "最大 η q(1 − q) だけ目標を飛び越えるからです。"
    ),
    "{label}: near its goal a step multiplies the logit's distance from it by "
    "1 − η · ∂²L/∂z²; at q = {goal_shown}, ∂²L/∂z² = {curvature_shown}, so "
    "|1 − {lr_shown} × {curvature_shown}| = {factor_shown} > 1: each step overshoots by more "
    "than it corrects, so q cycles around its goal. It settles only for "
    "η < 2 / {curvature_shown} = {limit_shown}.": (
        "{label}：目標の近くでは、各ステップでロジットと目標との距離が "
        "1 − η · ∂²L/∂z² 倍になります。q = {goal_shown} では ∂²L/∂z² = {curvature_shown} "
        "なので |1 − {lr_shown} × {curvature_shown}| = {factor_shown} > 1 です。各ステップが"
        "修正する以上に行き過ぎるため、q は目標の周りを振動し続けます。落ち着くのは "
        "η < 2 / {curvature_shown} = {limit_shown} のときだけです。"
    ),
    "{label}: near its goal a step multiplies the logit's distance from it by "
    "1 − η · ∂²L/∂z²; at q = {goal_shown}, ∂²L/∂z² = {curvature_shown}, so "
    "|1 − {lr_shown} × {curvature_shown}| = {factor_shown} < 1: each step shrinks the "
    "distance to the goal, so the run settles. It settles only for "
    "η < 2 / {curvature_shown} = {limit_shown}.": (
        "{label}：目標の近くでは、各ステップでロジットと目標との距離が "
        "1 − η · ∂²L/∂z² 倍になります。q = {goal_shown} では ∂²L/∂z² = {curvature_shown} "
        "なので |1 − {lr_shown} × {curvature_shown}| = {factor_shown} < 1 です。各ステップで"
        "目標との距離が縮むので、学習は落ち着きます。落ち着くのは "
        "η < 2 / {curvature_shown} = {limit_shown} のときだけです。"
    ),
    "Squared error is slow near the target too: its step on the logit is "
    "2 (q − p) q (1 − q) = {squared_error_step} at q = {q_shown}, against cross-entropy's "
    "q − p = {cross_entropy_step}; the sigmoid's slope q (1 − q) = {slope_shown} is small "
    "again near {end_shown} (0.250 at q = ½), and squared error keeps it.": (
        "二乗誤差は目標の近くでも遅くなります。q = {q_shown} でのロジットのステップは "
        "2 (q − p) q (1 − q) = {squared_error_step} で、交差エントロピーの "
        "q − p = {cross_entropy_step} に比べて小さな一歩です。シグモイドの傾き "
        "q (1 − q) = {slope_shown} は {end_shown} の近くで再び小さくなり（q = ½ では 0.250）、"
        "二乗誤差はこの傾きを掛けたままだからです。"
    ),
    # --- proper scoring -------------------------------------------------------------------
    "Focal loss is not a mistake: it down-weights easy, already-right examples so that rare "
    "classes count under class imbalance, and pays for it with probabilities that are not "
    "calibrated.": (
        "フォーカル損失は間違いではありません。すでに正しく当たっている易しい例の重みを下げ、"
        "クラスの偏り（クラス不均衡）があっても少数のクラスが効くようにするための損失です。"
        "その代わり、出てくる確率は較正されていません。"
    ),
    "With hard 0/1 labels, absolute error pushes the prediction to the more frequent label: it "
    "answers 'which label', not 'how likely'. (Trained on the soft target p itself, |q − p| is "
    "smallest at p; averaged over drawn labels it is not.)": (
        "0/1 のハードなラベルでは、絶対誤差は予測をより多く出るラベルの側へ押しやります。"
        "答えるのは「どちらのラベルか」であって、「どのくらい起こりやすいか」ではありません。"
        "（ソフトな目標 p そのもので学習すれば |q − p| は p で最小になりますが、"
        "引いたラベルで平均するとそうはなりません。）"
    ),
    "{label}: the expected loss is smallest at q = p = {p_shown}. A proper scoring rule: "
    "minimising it makes the model report the true probability.": (
        "{label}：期待損失は q = p = {p_shown} で最小になります。適正なスコアリング規則です。"
        "これを最小化すると、モデルは真の確率をそのまま答えるようになります。"
    ),
    "every q from {q_low_shown} to {q_high_shown} gives the same expected loss {loss_shown}": (
        "{q_low_shown} から {q_high_shown} までのどの q でも期待損失は同じ {loss_shown} になります"
    ),
    "the expected loss is smallest at q = p = {p_shown} for this p, but not for every p": (
        "この p では期待損失は q = p = {p_shown} で最小になりますが、どの p でもそうなるわけでは"
        "ありません"
    ),
    "the expected loss is smallest at q = {q_shown}, not at p = {p_shown}": (
        "期待損失が最小になるのは q = {q_shown} で、p = {p_shown} ではありません"
    ),
    "{label}: {where}. Not a proper scoring rule.": (
        "{label}：{where}。適正なスコアリング規則ではありません。"
    ),
    "{label}: {where}. Not a proper scoring rule. {purpose}": (
        "{label}：{where}。適正なスコアリング規則ではありません。{purpose}"
    ),
    "({listed} in nats)": "（{listed}は nats 単位）",
    "{listed}, {next_loss}": "{listed}、{next_loss}",
    "{listed} and {last_loss}": "{listed}と{last_loss}",
    # --- L = H + KL, bits and nats ----------------------------------------------------------
    "L = H + KL: ∞ = {entropy_shown} + ∞ (q rules out an outcome that can happen)": (
        "L = H + KL: ∞ = {entropy_shown} + ∞（起こりうる結果を q が完全に排除しているため）"
    ),
    "H({p_shown}) = 0 nats = 0 bits: the outcome is certain, so no question needs asking. "
    "Perplexity e^H = 1: one possible outcome.": (
        "H({p_shown}) = 0 nats = 0 bits：結果は確実なので、質問はひとつも要りません。"
        "パープレキシティは e^H = 1 で、起こりうる結果はひとつだけです。"
    ),
    "H({p_shown}) = {nats_shown} nats = {bits_shown} bits: the same amount in two units "
    "(1 bit = ln 2 ≈ 0.69 nats). In bits it is a code length: an ideal code for these draws "
    "needs on average {bits_shown} yes/no answers per ball, and no code needs fewer. A third "
    "unit is the perplexity e^H = 2^(bits) = {perplexity_shown}: the draw is as hard to guess "
    "as a fair pick among {perplexity_shown} equally likely outcomes (2 for a fair coin); a "
    "model's perplexity e^L is the same for its loss L.": (
        "H({p_shown}) = {nats_shown} nats = {bits_shown} bits：同じ量を二つの単位で表したもの"
        "です（1 bit = ln 2 ≈ 0.69 nats）。bits で測ると符号の長さになります。この取り出しを"
        "記録する理想的な符号は、玉ひとつあたり平均 {bits_shown} 回の「はい／いいえ」の答えを"
        "必要とし、それより短くできる符号はありません。三つ目の単位はパープレキシティ "
        "e^H = 2^(bits) = {perplexity_shown} です。この取り出しは、同じ確率の "
        "{perplexity_shown} 通りの結果から公平に選ぶのと同じくらい当てにくいということです"
        "（公平なコインなら 2）。モデルのパープレキシティ e^L も、その損失 L について同じ意味を"
        "もちます。"
    ),
    # --- log-sum-exp ----------------------------------------------------------------------
    "At z = {z_shown} both forms give log softmax(z) = {stable_shown}; push a logit past about "
    "709 and exp(z) overflows.": (
        "z = {z_shown} では、どちらの計算方法でもソフトマックスの対数は "
        "log softmax(z) = {stable_shown} になります。ロジットをおよそ 709 より大きくすると "
        "exp(z) がオーバーフローします。"
    ),
    "exp(z) overflows to ∞": "exp(z) が ∞ にオーバーフローする",
    "a probability rounds to 0, whose log is −∞": "確率が 0 に丸められ、その log が −∞ になる",
    "exp(z) overflows to ∞ and a probability rounds to 0, whose log is −∞": (
        "exp(z) が ∞ にオーバーフローし、確率が 0 に丸められてその log が −∞ になる"
    ),
    "At z = {z_shown} the naive log(softmax(z)) gives {naive_shown}: {causes}. The log-sum-exp "
    "form z − max z − log Σ exp(z − max z) gives {stable_shown}. That is why frameworks take "
    "logits, not probabilities.": (
        "z = {z_shown} では、ソフトマックスの対数をそのまま log(softmax(z)) と計算すると "
        "{naive_shown} になります。{causes}ためです。log-sum-exp の形 "
        "z − max z − log Σ exp(z − max z) なら {stable_shown} が得られます。"
        "だからフレームワークは確率ではなくロジットを受け取るのです。"
    ),
    # --- multiclass -----------------------------------------------------------------------
    "At Q({label}) = {q_shown} the −log Q curve has slope −1/Q = {slope_shown}, yet the step "
    "on the {label} logit is Q − 1 = {step_shown}, never larger than 1 in size: the softmax's "
    "own slope Q (1 − Q) multiplies −1/Q and cancels the steepness.": (
        "Q({label}) = {q_shown} では −log Q の曲線の傾きは −1/Q = {slope_shown} ですが、"
        "{label}のロジットに対するステップは Q − 1 = {step_shown} で、大きさが 1 を超える"
        "ことはありません。ソフトマックス自身の傾き Q (1 − Q) が −1/Q に掛かり、急な傾きを"
        "打ち消すからです。"
    ),
    "From z = {z_shown}, {run_length} with η = {lr_shown}: cross-entropy brings Q({label}) to "
    "{cross_entropy_shown}, squared error to {squared_error_shown}.": (
        "z = {z_shown} から η = {lr_shown} で {run_length}進めると、Q({label}) は"
        "交差エントロピーでは {cross_entropy_shown}、二乗誤差では {squared_error_shown} に"
        "なります。"
    ),
    "{reading} Squared error's logit step carries the softmax's slope, which is tiny while "
    "Q({label}) is near 0; cross-entropy's Q − t does not.": (
        "{reading}二乗誤差のロジットのステップにはソフトマックスの傾きが掛かり、Q({label}) が "
        "0 に近いうちはその傾きがごく小さいのです。交差エントロピーの Q − t にはこの因子が"
        "ありません。"
    ),
    "Over {run_length} the mean loss went from {loss_start} to {loss_end} and fell on {falls} "
    "of them; accuracy went from {accuracy_start}% to {accuracy_end}% and changed on only "
    "{jumps}. Accuracy (1 − the 0-1 loss) is flat between its jumps, so its gradient is zero "
    "almost everywhere and gives descent nothing to follow; the loss is smooth, so we descend "
    "it.": (
        "{run_length}の間に平均損失は {loss_start} から {loss_end} になり、そのうち "
        "{falls} ステップで下がりました。正解率は {accuracy_start}% から {accuracy_end}% に"
        "なり、変化したのは {jumps} ステップだけです。正解率（1 − 0-1 損失）は階段状に変わり、"
        "段と段の間では平らなので、その勾配はほとんど至る所でゼロになり、降下法がたどる手がかりに"
        "なりません。損失は滑らかなので、損失のほうを降下させるのです。"
    ),
    "Over {run_length} the mean loss went from {loss_start} to {loss_end} and fell on {falls} "
    "of them; accuracy went from {accuracy_start}% to {accuracy_end}% and changed on {jumps}. "
    "Accuracy (1 − the 0-1 loss) is flat between its jumps, so its gradient is zero almost "
    "everywhere and gives descent nothing to follow; the loss is smooth, so we descend it.": (
        "{run_length}の間に平均損失は {loss_start} から {loss_end} になり、そのうち "
        "{falls} ステップで下がりました。正解率は {accuracy_start}% から {accuracy_end}% に"
        "なり、変化したのは {jumps} ステップです。正解率（1 − 0-1 損失）は階段状に変わり、"
        "段と段の間では平らなので、その勾配はほとんど至る所でゼロになり、降下法がたどる手がかりに"
        "なりません。損失は滑らかなので、損失のほうを降下させるのです。"
    ),
    "{reading} Here it rose instead: the learning rate is too large for this data, so the "
    "steps overshoot; a smaller η lets the loss fall.": (
        "{reading}ここでは逆に損失が上がりました。このデータに対して学習率が大きすぎ、"
        "ステップが行き過ぎるためです。η を小さくすれば損失は下がります。"
    ),
}
