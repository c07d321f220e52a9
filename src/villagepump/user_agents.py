"""What a session's User-Agent says about its device, in the session props Mattermost keeps
(`platform`, `os`, `browser`, `is_mobile`) and its clients show in their sessions list."""

import re

# (pattern, name) in order: the first that matches wins, as Edge and Opera also say "Chrome".
_BROWSERS = (
    (re.compile(r"Mattermost(?:Mobile)?/([\d.]+)"), "Mattermost App"),
    (re.compile(r"Edg(?:e|A|iOS)?/([\d.]+)"), "Edge"),
    (re.compile(r"OPR/([\d.]+)"), "Opera"),
    (re.compile(r"Firefox/([\d.]+)"), "Firefox"),
    (re.compile(r"(?:Chrome|CriOS|HeadlessChrome)/([\d.]+)"), "Chrome"),
    (re.compile(r"Version/([\d.]+).*Safari/"), "Safari"),
)
_PLATFORMS = (
    ("Android", "Android", "Android"),
    ("iPhone", "iPhone", "iOS"),
    ("iPad", "iPad", "iOS"),
    ("Windows", "Windows", "Windows"),
    ("Macintosh", "Macintosh", "Mac OS"),
    ("CrOS", "Chrome OS", "Chrome OS"),
    ("Linux", "Linux", "Linux"),
)


def device_props(user_agent: str) -> dict[str, str]:
    """Unknown parts are empty; a client that sends nothing gets an empty device."""
    user_agent = user_agent[:512]
    browser = ""
    for pattern, name in _BROWSERS:
        found = pattern.search(user_agent)
        if found:
            browser = f"{name}/{found.group(1).split('.')[0]}"
            break
    platform, system = next(((p, o) for mark, p, o in _PLATFORMS if mark in user_agent), ("", ""))
    mobile = system in ("Android", "iOS") or "Mobile" in user_agent
    return {"platform": platform, "os": system, "browser": browser, "is_mobile": str(mobile).lower()}
