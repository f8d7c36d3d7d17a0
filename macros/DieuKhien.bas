Attribute VB_Name = "DieuKhien"
' Buttons of the dvcq control workbook. Each calls one entry point of dvcq.excel.xl through xlwings.
' The Python strings are fixed: no argument is built from cell text.
Option Explicit

Sub KiemTra()
    RunPython "import dvcq.excel.xl; dvcq.excel.xl.kiem_tra()"
End Sub

Sub TongHop()
    RunPython "import dvcq.excel.xl; dvcq.excel.xl.tong_hop()"
End Sub

Sub XuatBaoCao()
    RunPython "import dvcq.excel.xl; dvcq.excel.xl.xuat_bao_cao()"
End Sub

Sub XuatKeHoach()
    RunPython "import dvcq.excel.xl; dvcq.excel.xl.xuat_ke_hoach()"
End Sub
