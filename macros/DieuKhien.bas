Attribute VB_Name = "DieuKhien"
' Buttons of the dvcq control workbook. Each calls one entry point of dvcq.xl through xlwings.
' The Python strings are fixed: no argument is built from cell text.
Option Explicit

Sub KiemTra()
    RunPython "import dvcq.xl; dvcq.xl.kiem_tra()"
End Sub

Sub TongHop()
    RunPython "import dvcq.xl; dvcq.xl.tong_hop()"
End Sub

Sub XuatBaoCao()
    RunPython "import dvcq.xl; dvcq.xl.xuat_bao_cao()"
End Sub

Sub XuatKeHoach()
    RunPython "import dvcq.xl; dvcq.xl.xuat_ke_hoach()"
End Sub
