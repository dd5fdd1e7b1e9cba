"""Japanese messages: the app around the lessons (entry point, Home, header, Share, notices)."""

MESSAGES: dict[str, str] = {
    # --- streamlit_app.py, xent/language.py ----------------------------------------------
    "xent: cross-entropy, live": "xent: 交差エントロピーを動かして学ぶ",
    "This link asked for the language “{asked}”, which this app does not have "
    "(it has English and 日本語: lang=en or lang=ja), so it is shown in {shown}.": (
        "このリンクは言語「{asked}」を指定していますが、このアプリにはありません"
        "（English と 日本語: lang=en または lang=ja）。{shown}で表示しています。"
    ),
    "Language / 言語": "表示言語",
    # --- xent/navigation.py: page titles (the menu) and Home's cards --------------------------
    "Home": "ホーム",
    "Bernoulli": "ベルヌーイ",
    "Multiclass": "多クラス分類",
    "Loss Comparison": "損失関数の比較",
    "Class": "授業",
    "A box of red and white balls. The loss curve, its floor H(p), "
    "a single neuron learning q → p step by step, and the chain rule with live numbers.": (
        "赤玉と白玉の入った箱。損失の曲線とその下限 H(p)、q → p を一歩ずつ学ぶ"
        "ひとつのニューロン、そして実際の数値で確かめる連鎖律。"
    ),
    "Apple, Gorilla, Rappa: softmax, the −log Q curve, the gradient Q − t, "
    "descent across the probability triangle, and decision regions.": (
        "りんご・ゴリラ・ラッパ：ソフトマックス、−log Q の曲線、勾配 Q − t、"
        "確率の三角形の上を下っていく学習、そして決定領域。"
    ),
    "Cross-entropy against squared error, absolute error and focal loss: "
    "who learns fastest from a confidently wrong start, and why.": (
        "交差エントロピーと二乗誤差・絶対誤差・フォーカル損失の比較："
        "自信満々に間違えたところから最も速く学ぶのはどれか、そしてそれはなぜか。"
    ),
    "Class mode: open a room, pose a question about a lesson, let every student commit a "
    "guess from a phone, watch the answers come in, then reveal the truth.": (
        "授業モード：ルームを開いて授業の内容について問いを出し、生徒全員にスマートフォンから"
        "予想を答えてもらいます。回答が集まる様子を見てから、正解を明かします。"
    ),
    # --- pages/home.py ---------------------------------------------------------------------
    "Why cross-entropy?": "なぜ交差エントロピーなのか？",
    "A **classifier** looks at something and says how likely each answer is. "
    "Will this user buy the new product, yes or no? That is **binary** classification. "
    "Is the picture an apple, a gorilla or a rappa (a trumpet)? That is **multiclass**. "
    "To learn, the model needs one number that says how wrong its probabilities are, "
    "and a direction that makes it less wrong. That number is the **cross-entropy**.": (
        "**分類器**は、何かを見て、それぞれの答えがどのくらいありそうかを示します。"
        "このユーザーは新製品を買うか、買わないか？これが**二値**分類です。"
        "写真に写っているのはりんごか、ゴリラか、ラッパか？これが**多クラス**分類です。"
        "学習するためにモデルに必要なのは、自分の確率がどれだけ間違っているかを表すひとつの数と、"
        "間違いを小さくする向きです。その数が**交差エントロピー**です。"
    ),
    "The definition": "定義",
    "L equals minus the sum over outcomes x of P(x) times log Q(x).": (
        "L は、すべての結果 x について P(x) と log Q(x) の積を足し合わせ、符号を反転したものです。"
    ),
    "P is the truth (how often each outcome really happens), Q is the model's guess. "
    "Each outcome costs −log Q(x): nothing when the model was sure and right, "
    "a lot when it gave the real outcome almost no chance. "
    "Logs are natural, so L is in **nats**.": (
        "P は真実（それぞれの結果が実際にどのくらいの割合で起こるか）、Q はモデルの予測です。"
        "結果ごとのコストは −log Q(x) です。モデルが確信して正解したときはゼロ、"
        "実際に起きた結果にほとんど確率を与えていなかったときは大きくなります。"
        "対数は自然対数なので、L の単位は **nats** です。"
    ),
    "cross-entropy equals the entropy of P plus the KL divergence from P to Q, "
    "so it is never below the entropy, and equal to it only when Q = P.": (
        "交差エントロピーは、P のエントロピーに P から Q への KLダイバージェンスを足したものです。"
        "したがってエントロピーを下回ることはなく、等しくなるのは Q = P のときだけです。"
    ),
    "So the loss is smallest exactly when the model tells the truth, Q = P. "
    "With a sigmoid or softmax output its gradient with respect to the logits z (the "
    "scores before the sigmoid or softmax) is simply **∂L/∂z = Q − P** (with respect "
    "to Q itself it is −P/Q): the step on the logits is as big as the mistake.": (
        "つまり損失が最小になるのは、モデルが真実を述べるとき、すなわち Q = P のときです。"
        "出力がシグモイドやソフトマックスなら、ロジット z（シグモイドやソフトマックスに通す前の"
        "スコア）についての勾配は単純に **∂L/∂z = Q − P** です（Q そのものについては −P/Q）。"
        "ロジットを動かす一歩は、間違いの大きさそのものです。"
    ),
    "In class": "授業での使い方",
    "1. **Project** a page; every control sits beside the charts it moves "
    "(above them on a phone).\n"
    "2. **Ask first**, then move a slider: *where will the loss be smallest?*\n"
    "3. **Presets** at the top of each page jump to a prepared situation; "
    "**Reset** brings the defaults back.\n"
    "4. **Share a link**: the address bar carries every setting, "
    "so students open exactly what you show.\n"
    "5. Under each chart a reading puts its numbers into words; "
    "every run downloads as CSV.": (
        "1. ページを**投影**します。どのコントロールも、それが動かすグラフのすぐ横にあります"
        "（スマートフォンではグラフの上）。\n"
        "2. **まず問いかけ**、それからスライダーを動かします："
        "*損失が最小になるのはどこでしょう？*\n"
        "3. 各ページ上部の**プリセット**で、用意した状況にすぐ移れます。"
        "**リセット**で既定の設定に戻ります。\n"
        "4. **リンクを共有**：アドレスバーがすべての設定を持っているので、"
        "生徒はあなたが見せているものをそのまま開けます。\n"
        "5. 各グラフの下では、読み取りの文章が数値を言葉で説明します。"
        "どの実行結果も CSV でダウンロードできます。"
    ),
    "The pages": "ページ一覧",
    "Open {page}": "{page}を開く",
    # --- xent/ui/page.py: the header row and the Share dialog ------------------------------
    "Presets": "プリセット",
    "Choose a preset…": "プリセットを選ぶ…",
    "Load a named situation; every control on the page moves to it.": (
        "名前の付いた状況を読み込みます。ページ上のすべてのコントロールがその値に移ります。"
    ),
    "Reset to defaults": "リセット",
    "Put every control back where the page started.": (
        "すべてのコントロールを、ページを開いたときの値に戻します。"
    ),
    "Share this view": "この表示を共有",
    "A link that opens this page with every setting you see now.": (
        "今見ているすべての設定でこのページを開くリンクです。"
    ),
    "About this page": "このページについて",
    "This link opens the page with every setting you see now, step scrubbers "
    "included. Copy it with the button at its right:": (
        "このリンクは、今見ているすべての設定（ステップのスライダーも含む）でページを開きます。"
        "右端のボタンでコピーしてください："
    ),
    # --- xent/ui/notice.py -------------------------------------------------------------------
    "{key}={asked} (shown: {shown})": "{key}={asked}（表示：{shown}）",
    "This link had values the page cannot use as given, so these controls show "
    "their defaults or the nearest value they can take: {values}.": (
        "このリンクには、ページがそのままでは使えない値が含まれていたため、次のコントロールは"
        "既定値か、とりうる最も近い値を表示しています：{values}。"
    ),
    "These values were outside their control's range: {values}.": (
        "次の値はコントロールの範囲外でした：{values}。"
    ),
    "none": "なし",
    # --- xent/ui/player.py -------------------------------------------------------------------
    "Show step t": "表示するステップ t",
    "Move the marker along the run: every chart of this section follows.": (
        "学習の経過に沿ってマーカーを動かします。このセクションのグラフはすべて連動します。"
    ),
    "Playing from step {shown} to step {steps}: the text of this section "
    "shows step {shown} until the playback stops.": (
        "ステップ {shown} からステップ {steps} まで再生中です。再生が止まるまで、"
        "このセクションの文章はステップ {shown} の内容を示します。"
    ),
    "Play": "再生",
    "Step": "ステップ送り",
    "Step through the run automatically; the markers move along every chart.": (
        "学習の経過を自動で進めます。マーカーがすべてのグラフの上を動きます。"
    ),
    "One gradient step forward.": "勾配のステップを一歩進めます。",
    # --- xent/ui/present.py ------------------------------------------------------------------
    "Previous": "前へ",
    "Next": "次へ",
    "The previous section (left arrow key).": "前のセクションへ（左矢印キー）。",
    "The next section (right arrow key).": "次のセクションへ（右矢印キー）。",
    "Section {slide} of {sections}": "セクション {slide} / {sections}",
    "**Present this view**: this page at these settings as a projector figure, "
    "one section at a time, with only the controls you tick.": (
        "**この表示で発表**：このページをこの設定のまま、プロジェクター用の図として"
        "セクションごとに映します。表示されるコントロールは、選んだものだけです。"
    ),
    "Controls shown on the projector": "プロジェクターに表示するコントロール",
    "{control} ({key})": "{control}（{key}）",
    "None: a clean figure": "なし（図だけを表示）",
    "Every other control is hidden. Students who open the link without "
    "present=1 see the whole page.": (
        "ほかのコントロールはすべて隠れます。present=1 を付けずにリンクを開いた生徒には、"
        "ページ全体が表示されます。"
    ),
    # --- xent/_validation.py: an argument a math function cannot take ------------------------
    "{name} must be real numbers; got dtype {dtype}": (
        "{name} は実数でなければなりません（データ型 {dtype} が渡されました）"
    ),
    "{name} must be a rectangular array of real numbers": (
        "{name} は実数の長方形配列（各行の長さがそろった配列）でなければなりません"
    ),
    "values in [{low}, {high}]": "[{low}, {high}] の範囲の値",
    "{name} must be probabilities in [0, 1]; got {bad}": (
        "{name} は [0, 1] の確率でなければなりません（{bad} が渡されました）"
    ),
    "{name} must have a class axis (at least 1-D); got a scalar": (
        "{name} にはクラスの軸が必要です（1次元以上）。スカラーが渡されました"
    ),
    "axis must be an integer in [{low}, {ndim}) for {name} of {ndim} dimensions; got {axis}": (
        "{ndim} 次元の {name} では、axis は [{low}, {ndim}) の整数でなければなりません"
        "（{axis} が渡されました）"
    ),
    "{name} must have at least one class along axis {axis}; got 0": (
        "{name} には軸 {axis} に沿って少なくとも一つのクラスが必要です（0 個でした）"
    ),
    "{name} must sum to 1 along axis {axis} (within {tol}); got a sum of {total}": (
        "{name} は軸 {axis} に沿った和が 1 でなければなりません（許容誤差 {tol}）。"
        "和は {total} でした"
    ),
    "{name} must be real numbers or ±inf (logits); got NaN": (
        "{name} は実数または ±inf（ロジット）でなければなりません。NaN が渡されました"
    ),
    "{a_name} and {b_name}": "{a_name} と {b_name}",
    "{a_name} and {b_name} must have the same shape (or broadcast); got {a_shape} and {b_shape}": (
        "{a_name} と {b_name} は同じ形（またはブロードキャストできる形）でなければなりません"
        "（{a_shape} と {b_shape} が渡されました）"
    ),
    "{a_name} and {b_name} must have the same number of classes along axis "
    "{axis}; got shapes {a_shape} and {b_shape}": (
        "{a_name} と {b_name} は軸 {axis} に沿ったクラス数が同じでなければなりません"
        "（形は {a_shape} と {b_shape} でした）"
    ),
    "{a_name} and {b_name} must have broadcastable shapes; got {a_shape} and {b_shape}": (
        "{a_name} と {b_name} はブロードキャストできる形でなければなりません"
        "（{a_shape} と {b_shape} が渡されました）"
    ),
}
