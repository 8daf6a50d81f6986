"""Strings of the app shell (titles, keys, common words). Each screen module
registers its own strings beside its code."""

from app.core import i18n

i18n.register(
    {
        "app.title": {"en": "Growth Plan trainer", "zh": "新客户成长计划训练器"},
        "plan.name": {"en": "New Customer Growth Plan", "zh": "新客户成长计划"},
        "clock": {"en": "Sim. time (Beijing)", "zh": "模拟北京时间"},
        "profile": {"en": "Profile", "zh": "档案"},
        "demo": {"en": "DEMO · not saved", "zh": "演示 · 不保存"},
        "read_only": {"en": "READ-ONLY", "zh": "只读"},
        "deadline": {"en": "Activation deadline", "zh": "开启截止"},
        "deadline_left": {"en": "time left", "zh": "剩余"},
        "next": {"en": "Next", "zh": "下一步"},
        "locked": {"en": "Locked", "zh": "未解锁"},
        "done": {"en": "Done", "zh": "已完成"},
        "open": {"en": "Open", "zh": "进行中"},
        "close": {"en": "Close", "zh": "关闭"},
        "back": {"en": "Back", "zh": "返回"},
        "yes": {"en": "Yes", "zh": "是"},
        "no": {"en": "No", "zh": "否"},
        "cancel": {"en": "Cancel", "zh": "取消"},
        "confirm": {"en": "Confirm", "zh": "确认"},
        "saved_failed": {
            "en": "Progress not saved: {error} It stays in memory; saving is "
            "retried on the next change.",
            "zh": "进度未能保存：{error} 数据仍保留在内存中，下次变更时会重试保存。",
        },
        "saved_again": {"en": "Progress saved again.", "zh": "进度已恢复保存。"},
        "lang_switched": {"en": "Language: English", "zh": "语言：中文"},
        "guide_kept": {
            "en": "The guide stays in Help Center > Task guide (R6).",
            "zh": "新手引导已收在 帮助中心-任务引导 中，可随时再次查看（R6）。",
        },
        "help.none": {
            "en": "No help for this part yet.",
            "zh": "此处暂无帮助说明。",
        },
        # Key bindings: `key.<binding id>` translates the Footer's label.
        "key.quit": {"en": "Quit", "zh": "退出"},
        "key.lang": {"en": "中文", "zh": "English"},
        "key.help": {"en": "Help", "zh": "帮助"},
        "key.back": {"en": "Back", "zh": "返回"},
        "key.self_test": {"en": "Self-test", "zh": "自测"},
        "key.tasks": {"en": "Tasks", "zh": "任务"},
        "key.waiver": {"en": "Waiver", "zh": "免单"},
        "key.p4p_home": {"en": "P4P home", "zh": "直通车首页"},
        "key.help_center": {"en": "Help Center", "zh": "帮助中心"},
        "key.profiles": {"en": "Profiles", "zh": "档案"},
        "key.popup": {"en": "Newcomer guide", "zh": "新手引导"},
        "key.close_popup": {"en": "Close", "zh": "关闭"},
        "key.cancel": {"en": "Cancel", "zh": "取消"},
        "key.start_self_test": {"en": "Start self-test", "zh": "开始自测"},
        # Command palette entries: `cmd.<action>` and `cmd.<action>.help`.
        "cmd.category.go": {"en": "Go", "zh": "前往"},
        "cmd.category.app": {"en": "App", "zh": "应用"},
    }
)
