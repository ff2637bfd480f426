"""A labelled line-level test set for strip_boilerplate, built from the corpora, chrome lines
written from real CMS, forum and WeChat layouts, and the seed pages."""

from __future__ import annotations

import json
import random

from helpers import FIXTURES

SITES = ["中山人才网", "江门新闻网", "随州论坛", "南方网", "人民网", "新华网", "搜狐", "澎湃新闻", "本地宝", "大河网"]
NAMES = ["陈敏锐", "郭永乐", "张浩洋", "李明", "王芳", "刘洋", "黄志强", "林立竣"]
SECTIONS = ["新闻中心", "本地资讯", "社会", "财经", "教育", "政务公开", "图片新闻"]


def chrome_lines(rng: random.Random) -> list[tuple[str, str]]:
    """(line, kind) samples of web chrome, with random names, numbers and dates."""
    s, n = rng.choice(SITES), rng.choice(NAMES)
    d = f"{rng.randint(2010, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    sec = rng.choice(SECTIONS)
    return [
        (f"{s}>>{sec}>>正文", "breadcrumb"),
        (f"首页 > {sec} > 正文", "breadcrumb"),
        (f"当前位置：首页 » {sec}", "location"),
        (f"您现在的位置：{s} > {sec}", "location"),
        (f"作者：{n} 来源：{s} 发布时间：{d} 阅读：{rng.randint(10, 9999)}次", "metadata"),
        (f"发布日期：{d}  字号：[ 大 中 小 ]  打印  关闭", "metadata"),
        (f"来源：{s}", "metadata"),
        (f"浏览次数：{rng.randint(10, 99999)}", "metadata"),
        (f"点击：{rng.randint(10, 9999)}次", "metadata"),
        ("发新帖 回复", "forum"),
        (f"查看: {rng.randint(10, 9999)}|回复: {rng.randint(0, 99)}", "forum"),
        (f"发表于 {d} 10:{rng.randint(10, 59)}:00 | 只看该作者 |倒序浏览 |阅读模式", "forum"),
        (f"本帖最后由 {n} 于 {d} 编辑", "forum"),
        ("马上注册，结交更多好友，享用更多功能，让你轻松玩转社区。", "forum"),
        ("您需要 登录 才可以下载或查看，没有账号？立即注册", "forum"),
        ("使用道具 举报", "forum"),
        ("只看该作者", "forum"),
        ("楼主", "forum"),
        (f"积分{rng.randint(10, 9999)}", "forum"),
        (f"Copyright © 2005-{rng.randint(2015, 2024)} {s} All Rights Reserved", "footer"),
        (f"{s} 版权所有", "footer"),
        (f"粤ICP备{rng.randint(10000000, 99999999)}号-1", "footer"),
        (f"京公网安备 {rng.randint(10**13, 10**14 - 1)}号", "footer"),
        (f"增值电信业务经营许可证：粤B2-{rng.randint(10**7, 10**8 - 1)}", "footer"),
        ("技术支持：某某网络科技有限公司", "footer"),
        ("关于我们 | 联系我们 | 网站地图 | 免责声明 | 广告服务", "footer"),
        ("未经授权禁止转载", "footer"),
        ("本文来源于网络，如有侵权请联系删除。", "footer"),
        ("分享到：微信 微博 QQ空间", "social"),
        ("扫码关注我们", "social"),
        ("长按识别二维码关注", "social"),
        ("点击上方蓝字关注我们", "social"),
        ("阅读原文", "social"),
        ("分享 点赞 在看", "social"),
        (f"责任编辑：{n}", "news"),
        (f"编审：{n}", "news"),
        (f"校对：{rng.choice(NAMES)}", "news"),
        (f"□文/{n} {rng.choice(NAMES)}", "news"),
        (f"本报记者 {n} 摄", "news"),
        (f"图为市民在公园散步。{rng.choice(SITES)}记者 {n} 摄", "news"),
        (f"上接A0{rng.randint(1, 9)}版", "news"),
        (f"下转第{rng.randint(2, 9)}版", "news"),
        ("上一篇：市政府召开常务会议", "news"),
        ("下一篇：我市举办招聘会", "news"),
        ("相关新闻", "news"),
        ("热点推荐", "news"),
        ("（完）", "news"),
        ("END", "news"),
        (f"第{rng.randint(1, 5)}页 共{rng.randint(5, 9)}页", "pagination"),
        ("首页 上一页 1 2 3 下一页 尾页", "pagination"),
        ("......", "decoration"),
        ("★★★", "decoration"),
        ("———————————", "decoration"),
    ]


def _corpus():
    paras, titles = [], []
    for name in ("cmrc2018_contexts.jsonl", "drcd_contexts.jsonl"):
        with open(FIXTURES / "corpora" / name, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                paras.append(r["text"])
                if r.get("title"):
                    titles.append(r["title"])
    return paras, sorted(set(titles))


def labelled_documents(n_docs: int = 150, seed: int = 3):
    """Documents as lists of (line, is_chrome)."""
    rng = random.Random(seed)
    paras, titles = _corpus()
    docs = []
    for _ in range(n_docs):
        chrome = chrome_lines(rng)
        head = rng.sample([c for c in chrome if c[1] in ("breadcrumb", "location", "metadata", "forum")], 3)
        tail = rng.sample([c for c in chrome if c[1] in ("footer", "social", "news", "pagination", "decoration")], 5)
        mid = rng.sample(chrome, 2)
        body = []
        for p in rng.sample(paras, rng.randint(2, 5)):
            if rng.random() < 0.3:  # a paragraph laid out one sentence per line
                body += [(s + "。", False) for s in p.split("。") if s.strip()][:6]
            else:
                body.append((p, False))
        title = (rng.choice(titles), False)
        subhead = (rng.choice(titles), False)
        lines = [(c, True) for c, _ in head[:1]] + [title] + [(c, True) for c, _ in head[1:]]
        k = rng.randint(1, max(1, len(body) - 1))
        lines += body[:k] + [(c, True) for c, _ in mid] + [subhead] + body[k:]
        lines += [(c, True) for c, _ in tail]
        docs.append(lines)
    return docs


# seed pages, labelled by hand: the chrome lines of 001, 002 and 003 (after normalize + fix_punctuation)
SEED_CHROME = {
    "001": ["我市将强化产业统筹发展，深入推进“工业振兴”工程。图为德昌电机（江门）有限公司。 江门日报记者 郭永乐 摄",
            "□文/陈敏锐 毕松杰 张奕维 皇智尧", "□文/凌雪敬 张浩洋 皇智尧", "上接A01版", "□文/黎禹君 林立竣 张浩洋"],
    "002": ["中山人才网>>中山资讯>>中山资讯", "作者：hjq 来源： 阅读次数：1545次 发布日期：2020年9月10日",
            "（信息收集：中山人才网）", "相关资讯", "Copyright© 2000-2008. Goodjob.cn® All rights reserved. 中山俊才网® 版权所有",
            "中山人才网专注中山人才，服务中山企业，致力于打造一个资源丰富的中山人才招聘网",
            "本网所有资讯内容、广告信息，未经书面同意，不得转载。", "经营许可证编号： 粤B2-20050466"],
    "003": ["搜索", "返回随州高新区动态", "发新帖 回复", "查看： 6999|回复： 0", "收起左侧", "[复制链接]", "楼主", "管理员",
            "该用户从未签到", "发表于 2023-12-20 10:08:00 | 显示全部楼层 |阅读模式",
            "马上注册，结交更多好友，享用更多功能，让你轻松玩转社区。",
            "您需要 登录 才可以下载或查看，没有帐号？加入随论（请注册中文用户名）", "x", "编审：史磊蕾、熊 刚", "编辑：钟克波、郭海洲",
            "来源：随州高新区", "使用 高级模式（可批量传图、插入视频等）", "您需要登录后才可以回帖 登录 | 加入随论（请注册中文用户名）",
            "本版积分规则", "公司简介 |  公司动态 |  广告合作  |  产品服务 |  诚聘英才 |  友情链接  |  法律声明 |  隐私保护 |  联系我们  |  帮助中心",
            "……"],
}
