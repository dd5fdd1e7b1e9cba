"""Japanese messages: questions (xent/questions.py, xent/grading.py, xent/ui/ask.py)."""

MESSAGES: dict[str, str] = {
    # --- grading: the rule and the verdicts ---
    "A guess within ±{tolerance} of the exact answer counts as right.": (
        "正確な答えとの差が ±{tolerance}以内なら正解です。"
    ),
    "One answer is right.": "正解は一つです。",
    "Right: {off} off, within the ±{tolerance} that counts as right.": (
        "正解です：差は {off}で、正解とされる ±{tolerance}の範囲内です。"
    ),
    "Not right: off by {off}; a guess within ±{tolerance} of the answer counts as right.": (
        "不正解です：差は {off}です。答えとの差が ±{tolerance}以内なら正解になります。"
    ),
    "Right!": "正解です！",
    "Not this time: the answer is “{answer}”.": "残念、不正解です。答えは「{answer}」です。",
    "Not right: {reason}": "不正解です：{reason}",
    "Not right.": "不正解です。",
    "{amount} steps": "{amount} ステップ",
    # --- the questions: titles ---
    "Where is L smallest?": "L が最小になるのは？",
    "The lowest loss": "損失の最小値",
    "Which way does q move?": "q はどちらに動く？",
    "Which logit rises first?": "最初のステップで最も上がるロジットは？",
    "Who wins after training?": "学習後に勝つクラスは？",
    "Which loss arrives first?": "最初に到達する損失は？",
    "How many steps for cross-entropy?": "交差エントロピーは何ステップで落ち着く？",
    # --- options (the stored values stay English; these are what a reader sees) ---
    "q goes up": "q は上がる",
    "q goes down": "q は下がる",
    "q stays": "q は変わらない",
    "a tie": "同着",
    "none settles within {steps} steps": "{steps} ステップ以内に落ち着く損失はない",
    "{first} and {second}": "{first}と{second}",
    # --- Bernoulli ---
    "The box has p = {p_shown} (chance of red). At which prediction q is the loss L smallest?": (
        "箱の p = {p_shown}（赤玉が出る確率）です。損失 L が最も小さくなるのは、"
        "予測 q がいくつのときですか？"
    ),
    "L(p, q) = H(p) + KL(p‖q), and KL(p‖q) = 0 only at q = p: cross-entropy is smallest "
    "when the model says the truth.": (
        "L(p, q) = H(p) + KL(p‖q) であり、KL(p‖q) = 0 となるのは q = p のときだけです。"
        "モデルが真実を言うとき、交差エントロピーは最小になります。"
    ),
    "at q = 0 or q = 1 the loss is infinite unless p is that same 0 or 1 (−log 0 = ∞), "
    "so such a q is never where L is smallest.": (
        "q = 0 や q = 1 では、p がそれと同じ 0 や 1 でない限り損失は無限大になります"
        "（−log 0 = ∞）。そのような q で L が最小になることはありません。"
    ),
    "The box has p = {p_shown}. What is the smallest loss L (in nats) any prediction q can "
    "reach?": (
        "箱の p = {p_shown} です。予測 q をどう選んでも、損失 L はどこまで小さくできますか"
        "（単位は nats）？"
    ),
    "The floor is the entropy H(p) = −p log p − (1 − p) log(1 − p), reached at q = p.": (
        "下限はエントロピー H(p) = −p log p − (1 − p) log(1 − p) で、q = p のときに達します。"
    ),
    "The model says q = {q_shown}, the truth is p = {p_shown}. One gradient step on the "
    "logit z (q = σ(z)): what happens to q?": (
        "モデルの予測は q = {q_shown}、真の確率は p = {p_shown} です。ロジット z"
        "（q = σ(z)）について勾配ステップを一度行うと、q はどうなりますか？"
    ),
    "At q = {q_shown} the logit z = log(q / (1 − q)) is {infinity}: a finite step η (q − p) "
    "does not move it, so q stays.": (
        "q = {q_shown} ではロジット z = log(q / (1 − q)) が {infinity} です。"
        "有限のステップ η (q − p) では動かないので、q は変わりません。"
    ),
    "∂L/∂z = q − p, and the step is z ← z − η (q − p): q moves toward p, by a step as big "
    "as the mistake (and not at all when q = p).": (
        "∂L/∂z = q − p なので、ステップは z ← z − η (q − p) です。q は p に向かって、"
        "誤差と同じ大きさのステップで動きます（q = p ならまったく動きません）。"
    ),
    # --- multiclass ---
    "Logits z = ({logits}), the true class is {true_class}. Which logit does the first "
    "cross-entropy gradient step raise the most?": (
        "ロジットは z = ({logits})、正解クラスは{true_class}です。交差エントロピーの"
        "最初の勾配ステップで、最も大きく上がるロジットはどれですか？"
    ),
    "The step is z ← z − η (Q − t): the logit with the most negative Q − t rises most.": (
        "ステップは z ← z − η (Q − t) です。Q − t がいちばん小さい（最も負の）ロジットが、"
        "最も大きく上がります。"
    ),
    "Start from z = ({logits}), true class {true_class}. After {steps} cross-entropy steps "
    "with η = {lr_shown}, which class has the largest probability?": (
        "z = ({logits}) から始めます（正解クラスは{true_class}）。η = {lr_shown} で"
        "交差エントロピーの学習を {steps} ステップ行った後、確率が最も大きいクラスは"
        "どれですか？"
    ),
    "Each step moves z by −η (Q − t); the chart shows Q after every step.": (
        "各ステップで z は −η (Q − t) だけ動きます。グラフは各ステップ後の Q を示しています。"
    ),
    "two logits get the same push at these settings; pick other logits": (
        "この設定では二つのロジットが同じだけ押されます。別のロジットを選んでください"
    ),
    "two classes end up tied at these settings; pick other settings": (
        "この設定では最後に二つのクラスが同点になります。別の設定を選んでください"
    ),
    "the true class y={name} is none of this page's classes ({names})": (
        "正解クラス y={name} は、このページのクラス（{names}）のどれでもありません"
    ),
    # --- loss comparison ---
    "Start at q₀ = {q0_shown}, target p = {p_shown}, η = {lr_shown}, {steps} steps. Which "
    "loss first settles within {tol_shown} of its goal (p, or where that loss is smallest) "
    "and stays there, as the race on this page counts it?": (
        "q₀ = {q0_shown}、目標 p = {p_shown}、η = {lr_shown}、{steps} ステップで始めます。"
        "このページのレースの数え方で、目標（p、またはその損失が最小になる点）から "
        "{tol_shown} 以内に最初に落ち着き、そのままとどまる損失はどれですか？"
    ),
    "Start at q₀ = {q0_shown}, target p = {p_shown}, η = {lr_shown}. After how many gradient "
    "steps has cross-entropy settled within |q − p| ≤ {tol_shown} (the step from which it "
    "stays there, as the race on this page counts it)?": (
        "q₀ = {q0_shown}、目標 p = {p_shown}、η = {lr_shown} で始めます。交差エントロピーが "
        "|q − p| ≤ {tol_shown} の範囲に落ち着くのは、勾配ステップを何回行った後ですか"
        "（このページのレースの数え方で、それ以降ずっと範囲内にとどまる最初のステップ）？"
    ),
    "No loss settles within {steps} steps here.": (
        "この設定では、{steps} ステップ以内に落ち着く損失はありません。"
    ),
    "{losses} settle first together, at step {step}.": (
        "{losses}がステップ {step}で同時に、最初に落ち着きます。"
    ),
    "{loss} settles first, from step {step} on.": (
        "最初に落ち着くのは{loss}で、ステップ {step}以降です。"
    ),
    "Right within 10 % (at least ±1 step). Each step moves the logit by −η (q − p).": (
        "差が 10 % 以内なら正解です（少なくとも ±1 ステップ）。各ステップでロジットは "
        "−η (q − p) だけ動きます。"
    ),
    "the race on this page has fewer than two losses; pick at least two": (
        "このページのレースには損失が二つ未満しかありません。二つ以上選んでください"
    ),
    "cross-entropy is not in this page's race; add it to the losses": (
        "このページのレースに交差エントロピーが入っていません。損失に加えてください"
    ),
    "cross-entropy never settles with η = {lr_shown} at p = {p_shown} (each step "
    "overshoots); pick a smaller learning rate": (
        "p = {p_shown} で η = {lr_shown} だと、交差エントロピーは落ち着きません"
        "（毎回のステップで行き過ぎます）。もっと小さい学習率を選んでください"
    ),
    "cross-entropy does not settle within {tol_shown} of p in {steps} steps here; pick "
    "other settings": (
        "この設定では、交差エントロピーは {steps} ステップで p から {tol_shown} 以内に"
        "落ち着きません。別の設定を選んでください"
    ),
    # --- unusable values ---
    "unknown question {key_shown}; known: {known}": (
        "不明な問題 {key_shown} です。使える問題：{known}"
    ),
    "answer must be a number; got {kind_name}": (
        "答えは数値でなければなりません（{kind_name} が指定されました）"
    ),
    "answer must be between {low} and {high}; got {guess_shown}": (
        "答えは {low} 以上 {high} 以下でなければなりません（{guess_shown} が指定されました）"
    ),
    "answer must be one of {options}; got {guess_shown}": (
        "答えは {options} のいずれかでなければなりません（{guess_shown} が指定されました）"
    ),
    "answer must be a whole number; got {guess_shown}": (
        "答えは整数でなければなりません（{guess_shown} が指定されました）"
    ),
    "setting {name} is missing": "設定 {name} がありません",
    "setting {name} must be a number; got {value_shown}": (
        "設定 {name} は数値でなければなりません（{value_shown} が指定されました）"
    ),
    "setting {name} must be between {low} and {high}; got {value_shown}": (
        "設定 {name} は {low} 以上 {high} 以下でなければなりません"
        "（{value_shown} が指定されました）"
    ),
    # --- the ask UI: the gate on the page and the Share dialog ---
    "**Predict, then reveal:** {prompt}": "**予想してから答え合わせ：** {prompt}",
    "Your guess": "あなたの予想",
    "Lock in my guess and reveal": "予想を確定して答えを見る",
    "Choose an answer first.": "先に答えを選んでください。",
    "The lesson below stays hidden until you place your guess.": (
        "予想を確定するまで、下のレッスンは表示されません。"
    ),
    "Your guess: **{guess}** · The truth: **{truth}**. {verdict}": (
        "あなたの予想：**{guess}**・正解：**{truth}**。{verdict}"
    ),
    "Guess again": "もう一度予想する",
    "Ask a question first": "先に問題を出す",
    "No question: show the lesson": "問題なし：レッスンを表示",
    "Students see the question first and the lesson after they place a guess.": (
        "生徒は先に問題を見て、予想を確定した後にレッスンを見ます。"
    ),
    "Students will first be asked: {prompt}": "生徒に最初に出される問題：{prompt}",
    "This question cannot be asked at these settings: {problem}.": (
        "この設定ではこの問題を出せません：{problem}。"
    ),
    "none (this page has no questions)": "なし（このページには問題がありません）",
    "This link has a guess= but no question (ask=); it is ignored.": (
        "このリンクには guess= がありますが、問題（ask=）がないため無視します。"
    ),
    "{key}= must appear once in the link; it appears {count} times": (
        "リンクの {key}= は一度だけ指定してください（{count} 回指定されています）"
    ),
    "{problem}. Questions on this page: {allowed}.": "{problem}。このページの問題：{allowed}。",
    "This link asks ask={key}, which is not a question of this page. Questions on this "
    "page: {allowed}.": (
        "このリンクは ask={key} を尋ねていますが、このページの問題ではありません。"
        "このページの問題：{allowed}。"
    ),
    "The question {key} cannot be asked at these settings: {problem}.": (
        "この設定では問題 {key} を出せません：{problem}。"
    ),
    "The link's guess cannot be used ({problem}); guess again.": (
        "リンクの予想は使えません（{problem}）。もう一度予想してください。"
    ),
}
