#!/usr/bin/env python3
"""Adds COUNT published catalog entries to a gongkai SQLite database, for the server-memory benchmark
(bench/memory.sh, issue 14 P6):

    python3 bench/gen_catalog.py DATA_DIR/gongkai.db COUNT

Each new entry copies one of the published entries already there (the demo's: agency, column, 体裁, 主题, dates)
with a new 索引号 (`bench-<n>`), a title and a body of words drawn from a Zipf distribution over a vocabulary of
government phrases, and a publication time spread over 2019-2026. Rows go straight into `catalog_entries` in
one transaction, outside the change feed: the server must rebuild its index (delete `DATA_DIR/search` first).
Deterministic (fixed seed). A benchmark tool, not for live databases.
"""

import random
import sqlite3
import sys

WORDS = (
    "政府信息公开 安全生产 防汛抗旱 优化营商环境 政务服务 乡村振兴 生态环境保护 财政预算 行政许可 行政处罚 "
    "社会救助 公共卫生 食品安全 义务教育 城市管理 交通运输 农业农村 住房保障 就业创业 养老服务 文化旅游 "
    "科技创新 招商引资 重点项目 土地征收 房屋征收 规范性文件 统计信息 应急预案 市场监管 人才引进 医疗保障 "
    "退役军人 民族宗教 审计监督 信访工作 法治政府 数字政府 基层治理 疫情防控 水利工程 林业发展 矿产资源 "
    "节能减排 污染防治 河长制 网格化管理 一网通办 放管服 双随机一公开 营商环境评价 公平竞争审查"
).split()

COLS = (
    "agency_id, column_id, status, title, index_no, doc_no, publisher, joint_publishers, doc_class, validity, "
    "written_on, effective_on, expires_on, formed_on, topic, genre, keywords, summary, disclosure, body_html, "
    "review_note, approvals, published_at, unpublish_reason, created_at, updated_at"
)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    db, count = sys.argv[1], int(sys.argv[2])
    rng = random.Random(20261206)
    weights = [1.0 / (rank + 1) for rank in range(len(WORDS))]
    conn = sqlite3.connect(db)
    templates = conn.execute(
        f"SELECT {COLS} FROM catalog_entries WHERE status = 'published' AND doc_class = 'ordinary' ORDER BY id"
    ).fetchall()
    if not templates:
        templates = conn.execute(f"SELECT {COLS} FROM catalog_entries WHERE status = 'published' ORDER BY id").fetchall()
    if not templates:
        sys.exit("gen_catalog: no published entry to copy (start `gongkai serve --demo` once first)")
    names = [c.strip() for c in COLS.split(",")]
    at = {name: i for i, name in enumerate(names)}

    def words(n):
        return "".join(rng.choices(WORDS, weights, k=n))

    def rows():
        for n in range(count):
            row = list(templates[n % len(templates)])
            year = 2019 + n % 8
            # The stored form of the template's time, with another date.
            stamp = f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}" + str(row[at["published_at"]])[10:]
            row[at["title"]] = f"关于做好{words(2)}工作的通知（{n}）"
            row[at["index_no"]] = f"bench-{n}"
            row[at["doc_no"]] = f"义政办〔{year}〕{n % 900 + 1}号"
            sentences = "".join(f"<p>为进一步做好{words(1)}工作，推进{words(2)}，各单位要加强{words(1)}。</p>" for _ in range(6))
            row[at["body_html"]] = sentences
            row[at["published_at"]] = stamp
            row[at["created_at"]] = stamp
            row[at["updated_at"]] = stamp
            yield row

    marks = ", ".join("?" for _ in names)
    with conn:
        conn.executemany(f"INSERT INTO catalog_entries ({COLS}) VALUES ({marks})", rows())
    total = conn.execute("SELECT COUNT(*) FROM catalog_entries WHERE status = 'published'").fetchone()[0]
    print(f"gen_catalog: {count} entries added; {total} published")


if __name__ == "__main__":
    main()
