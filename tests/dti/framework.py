"""A small framework over the seeded world's four indicators (``tests.reporting.world``)."""

FRAMEWORK = """
decision: T/QĐ
issued_on: 2023-01-01
title: Bộ chỉ số thử
first_year: 2023
max_points: 200
main_indicators:
  - {code: A, name: Nền tảng, group: foundation, max_points: 100}
  - {code: B, name: Hoạt động, group: activity, max_points: 100}
components:
  - {main: A, code: A.1, name: Tỷ lệ, rule: share_of_target, max_points: 40, indicators: [RATE]}
  - {main: A, code: A.2, name: Tin bài, rule: share_of_target, max_points: 60, indicators: [ARTICLES]}
  - {main: B, code: B.1, name: Dữ liệu mở, rule: yes_no, max_points: 50, indicators: [OPENDATA]}
  - {main: B, code: B.2, name: Chưa gắn chỉ tiêu, rule: share_of_target, max_points: 30}
  - {main: B, code: B.3, name: Bộ tự đo, rule: share_of_target, max_points: 20, measured_by_ministry: true, indicators: [BUDGET]}
"""
