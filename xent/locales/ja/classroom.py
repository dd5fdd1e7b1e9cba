"""Japanese messages: classroom (the Class page, the room panel, the class store's messages).

A class session is 授業 (a teacher "opens a class": 授業を始める); the students together are
クラス. Numbers and codes are filled in from the placeholders.
"""

MESSAGES: dict[str, str] = {
    # --- xent/classroom/store.py: refusals and faults ------------------------------------
    "the class's database is not answering": "クラスのデータベースが応答していません",
    "the class's database cannot be written to": "クラスのデータベースに書き込めません",
    "the class's database is out of space": "クラスのデータベースの容量が足りません",
    "the class's database file was deleted or replaced while the app ran": (
        "アプリの実行中にクラスのデータベースファイルが削除されたか、置き換えられました"
    ),
    "A room code is {length} characters from {alphabet}; got {typed}.": (
        "ルームコードは {alphabet} のうちの{length}文字です（入力：{typed}）。"
    ),
    "This browser has no valid student id; reload the page.": (
        "このブラウザには有効な生徒IDがありません。ページを再読み込みしてください。"
    ),
    "Could not find a free room code; try again in a minute.": (
        "空いているルームコードが見つかりませんでした。少し待ってから、もう一度お試しください。"
    ),
    "Room {code} does not exist. Check the code on the projector.": (
        "ルーム {code} はありません。プロジェクターに映っているコードを確認してください。"
    ),
    "Room {code} has expired; ask your teacher for a new code.": (
        "ルーム {code} は有効期限が切れています。先生に新しいコードを聞いてください。"
    ),
    "Too many wrong room codes from this network in {minutes} minutes; "
    "wait a few minutes, then type the code from the projector.": (
        "このネットワークから{minutes}分間に、間違ったルームコードが何度も入力されました。"
        "数分待ってから、プロジェクターに映っているコードを入力してください。"
    ),
    "Only the teacher can do this: the teacher link's token is missing or wrong.": (
        "この操作は先生だけができます。先生用リンクのトークンがないか、正しくありません。"
    ),
    "The question's settings are too long (over {limit} characters).": (
        "問題の設定が長すぎます（{limit}文字を超えています）。"
    ),
    "The question's text is too long; use shorter class names.": (
        "問題文が長すぎます。クラス名を短くしてください。"
    ),
    "Not stored: the class has ended.": "保存されませんでした：授業は終了しています。",
    "Not stored: there is no question yet; wait for your teacher.": (
        "保存されませんでした：まだ問題が出されていません。先生の出題を待ってください。"
    ),
    "Not stored: question {old_number} is over; your teacher has "
    "posed question {new_number}. Answer it below.": (
        "保存されませんでした：問{old_number}は終わり、先生が問{new_number}を出しました。"
        "下で答えてください。"
    ),
    "Not stored: the answer has been revealed; answers are closed.": (
        "保存されませんでした：正解が発表されたため、回答は締め切られています。"
    ),
    "Not stored: your teacher has closed the answers to this question.": (
        "保存されませんでした：先生がこの問題の回答を締め切りました。"
    ),
    "Cannot pose this question: {reason}.": "この問題は出題できません：{reason}。",
    "This class has ended; open a new class to pose questions.": (
        "この授業は終了しています。出題するには新しい授業を始めてください。"
    ),
    "There is no question yet: pose one first.": (
        "まだ問題がありません。先に問題を出してください。"
    ),
    "Not stored: the answer is over {limit} characters.": (
        "保存されませんでした：回答が{limit}文字を超えています。"
    ),
    "Not stored: at most {limit} submissions in {seconds} s. Wait a moment, then submit again.": (
        "保存されませんでした：送信は{seconds}秒間に{limit}回までです。"
        "少し待ってから、もう一度送信してください。"
    ),
    "Not stored: {reason}.": "保存されませんでした：{reason}。",
    "This device opened {rooms} classes in the last hour; "
    "use one of them (its teacher link) or wait.": (
        "この端末では、この一時間に{rooms}回授業が始められています。"
        "そのどれか（の先生用リンク）を使うか、しばらく待ってください。"
    ),
    # --- xent/classroom/ui.py: faults ------------------------------------------------------
    "Not connected to the class right now: {reason}. Nothing you do now is stored. "
    "This page tries again every few seconds; if it goes on, tell your teacher.": (
        "いまクラスに接続できていません（{reason}）。この間の操作は保存されません。"
        "このページは数秒ごとに再接続を試みます。続くようなら先生に伝えてください。"
    ),
    "The class's database cannot be used: {reason}. The numbers here may be out of date and "
    "nothing new is stored. This view tries again every {seconds} s; check the database "
    "server or the app's disk, or restart the app.": (
        "クラスのデータベースが使えません（{reason}）。ここに表示されている数は古いかもしれず、"
        "新しい回答は保存されません。この画面は{seconds}秒ごとに再試行します。"
        "データベースサーバーやアプリのディスクを確認するか、アプリを再起動してください。"
    ),
    # --- the student's panel on a lesson page ---------------------------------------------
    "**Class {code}**": "**授業 {code}**",
    "The class has ended. Thank you! The lesson is yours to explore.": (
        "授業は終了しました。ありがとうございました！このレッスンは自由に探究してください。"
    ),
    "No question yet. This page shows it as soon as your teacher poses one.": (
        "まだ問題はありません。先生が出題すると、すぐにこのページに表示されます。"
    ),
    "The class question is on the {title} page.": "授業の問題は「{title}」のページにあります。",
    "Go to {title}": "「{title}」へ移動",
    "**Question {number}.** {prompt}": "**問{number}**　{prompt}",
    "Your answer": "あなたの回答",
    "Your teacher has closed the answers. The reveal comes next.": (
        "先生が回答を締め切りました。次は正解の発表です。"
    ),
    "Submit my answer": "回答を送信",
    "Stored: your answer **{answer}**.": "保存しました：あなたの回答は **{answer}** です。",
    "The readings and results that would give the answer away stay hidden until the "
    "reveal. This page follows the class by itself.": (
        "答えがわかってしまう読み取りや結果は、正解の発表まで隠してあります。"
        "このページは授業の進行に自動でついていきます。"
    ),
    "Choose an answer first; nothing was stored.": (
        "先に回答を選んでください。何も保存されていません。"
    ),
    "Not stored: {reason}. Press Submit again in a moment; if it goes on, tell your teacher.": (
        "保存されませんでした：{reason}。少ししてから「回答を送信」をもう一度押してください。"
        "続くようなら先生に伝えてください。"
    ),
    "The truth: **{truth}**": "正解：**{truth}**",
    "Bar chart of the class's {count} answers: {each}.": (
        "クラスの {count} 件の答えの棒グラフ：{each}。"
    ),
    "Histogram of the class's {count} answers between {low} and {high}.": (
        "クラスの {count} 件の答えのヒストグラム（{low} から {high} まで）。"
    ),
    "The truth: {truth}.": "正解：{truth}。",
    "Your guess: **none** (no answer of yours was stored for this question)": (
        "あなたの予想：**なし**（この問題へのあなたの回答は保存されていません）"
    ),
    "Your guess: **{guess}**": "あなたの予想：**{guess}**",
    "**The class: {count} answer**": "**クラスの回答：{count}件**",
    "**The class: {count} answers**": "**クラスの回答：{count}件**",
    # --- the distribution chart --------------------------------------------------------------
    "answer": "回答",
    "students": "生徒数",
    "truth": "正解",
    # --- the Class page: start ---------------------------------------------------------------
    "Class mode": "授業モード",
    "Ask the class a question about a lesson page, let every student commit a guess, "
    "watch the class's answers come in, then reveal what the math does. "
    "No accounts, no names: students are anonymous.": (
        "レッスンのページについてクラスに問題を出し、生徒一人ひとりに予想を答えてもらい、"
        "集まってくる回答を見てから、数学が示す答えを発表しましょう。"
        "アカウントも名前も不要で、生徒は匿名です。"
    ),
    "This browser is not the teacher of class {code}: open "
    "the teacher link to manage it, or join it below as a student.": (
        "このブラウザは授業 {code} の先生ではありません。管理するには先生用リンクを開くか、"
        "下から生徒として参加してください。"
    ),
    "Teacher": "先生",
    "Open a class": "授業を始める",
    "Student": "生徒",
    "Room code": "ルームコード",
    "Join": "参加",
    "Could not open a class: {reason}.": "授業を始められませんでした：{reason}。",
    "Could not join: {reason}. Try again soon.": (
        "参加できませんでした：{reason}。少ししてから、もう一度お試しください。"
    ),
    # --- the teacher's room ------------------------------------------------------------------
    "Retry": "再試行",
    "Join code": "参加コード",
    "QR code of the student link": "生徒用リンクのQRコード",
    "Scan, or open {link}": "QRコードを読み取るか、{link} を開いてください",
    "**The class has ended.** Students see that it is over.": (
        "**授業は終了しました。** 生徒の画面にも終了と表示されます。"
    ),
    "**No question yet.** Pose the first one: students see it within seconds.": (
        "**まだ問題がありません。** 最初の問題を出しましょう。数秒で生徒の画面に表示されます。"
    ),
    "answers open": "回答受付中",
    "answers closed": "回答締切",
    "revealed": "正解発表済み",
    "**Question {number}** ({title}, {phase}): {prompt}": (
        "**問{number}**（{title}、{phase}）：{prompt}"
    ),
    "The truth: **{truth}**. {explanation}": "正解：**{truth}**。{explanation}",
    "Close answers": "回答を締め切る",
    "Reopen answers": "回答を再開",
    "Reveal": "正解を発表",
    "Next question": "次の問題",
    "Pose a question": "問題を出す",
    "End class": "授業を終了",
    "Show answers": "回答を表示",
    "The distribution, before the reveal": "正解の発表前に回答の分布を表示します",
    "Not done: {reason}. Try again in a moment.": (
        "実行できませんでした：{reason}。少ししてから、もう一度お試しください。"
    ),
    "Live now: question {number}, {prompt} Posing replaces it for every student.": (
        "出題中：問{number}「{prompt}」新しく出題すると、全員の画面でこの問題が置き換わります。"
    ),
    "Question": "問題",
    "{page_title}: {question_title}": "{page_title}：{question_title}",
    "At the settings of a page link (optional)": "ページのリンクの設定で出題（任意）",
    "Paste the page's Share link; empty: the page's defaults": (
        "ページの共有リンクを貼り付け（空欄ならページの既定の設定）"
    ),
    "Pose it": "出題する",
    "Not posed: {reason}. Try again in a moment.": (
        "出題できませんでした：{reason}。少ししてから、もう一度お試しください。"
    ),
    "{count} student has answered": "{count}人が回答しました",
    "{count} students have answered": "{count}人が回答しました",
    "The distribution is hidden until the reveal (Show answers shows it now).": (
        "回答の分布は正解の発表まで隠れています（「回答を表示」で今すぐ表示できます）。"
    ),
    "Export answers, teacher link": "回答のエクスポート・先生用リンク",
    "Download the answers (CSV)": "回答をダウンロード（CSV）",
    "One row per answer, with the columns question (its number), prompt, truth, "
    "answer and right (English headers in every language). No names, no ids.": (
        "回答ごとに一行です（列は問題番号、問題文、正解、回答、正誤。列名は英語のままです）。"
        "名前やIDは含みません。"
    ),
    "The teacher link brings this room to another browser. Keep it private: "
    "whoever has it can pose, reveal and end.": (
        "先生用リンクを使うと、この授業を別のブラウザで開けます。他の人には教えないでください。"
        "リンクを持つ人は誰でも出題・正解の発表・終了ができます。"
    ),
}
