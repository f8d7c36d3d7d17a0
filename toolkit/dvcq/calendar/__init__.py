"""The reporting calendar: periods and their data windows (Nghị định 09/2019/NĐ-CP), deadlines per
province and route (templates/deadlines.yaml), the legal time limits of complaints and denunciations
(templates/thoi-han.yaml), and the two parts of a period that straddles the 2025 reform.
"""
