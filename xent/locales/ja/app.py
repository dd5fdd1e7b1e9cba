"""Japanese messages: the app around the lessons (entry point, Home, header, Share, notices)."""

MESSAGES: dict[str, str] = {
    "xent: cross-entropy, live": "xent: 交差エントロピーを動かして学ぶ",
    "This link asked for the language “{asked}”, which this app does not have "
    "(it has English and 日本語: lang=en or lang=ja), so it is shown in {shown}.": (
        "このリンクは言語「{asked}」を指定していますが、このアプリにはありません"
        "（English と 日本語: lang=en または lang=ja）。{shown}で表示しています。"
    ),
}
