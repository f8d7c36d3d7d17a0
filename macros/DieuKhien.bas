Attribute VB_Name = "DieuKhien"
' Buttons of the dvcq control workbook. Each runs one entry point of dvcq.excel.xl through xlwings'
' RunPython after checking what RunPython needs (RunButton): the Python of dvcq is there and the Python
' that made its environment still is; the interpreter and the folder for Python's error log are written
' into the xlwings.conf sheet as paths that VBA's ANSI file functions can open (an 8.3 short name when a
' Vietnamese user name does not fit the ANSI code page). Every error ends in a Vietnamese message box,
' never in the VBA debugger. Vietnamese text is written as \uXXXX escapes that U() turns into characters
' with ChrW, so this module stays ASCII. The Python strings are fixed: no argument is built from cell text.
Option Explicit

Private Const CONF_SHEET As String = "xlwings.conf"
Private Const ERROR_SHEET As String = "Error"
Private Const PYTHON_TEMPLATE As String = "MauPython"
Private Const TEMP_TEMPLATE As String = "MauThuMucTam"
Private Const MB_ICONERROR As Long = &H10
Private Const MB_SETFOREGROUND As Long = &H10000
Private Const ERR_CANT_CREATE_OBJECT As Long = 429
Private Const ERR_ACCESS_DENIED As Long = -2147024891
Private Const DETAIL_MAX As Long = 1500

Sub KiemTra()
    On Error GoTo Failed
    RunButton "import dvcq.excel.xl; dvcq.excel.xl.kiem_tra()", U("Ki\u1ec3m tra")
    Exit Sub
Failed:
    ShowFailure U("Ki\u1ec3m tra"), Err.Number, Err.Description
End Sub

Sub TongHop()
    On Error GoTo Failed
    RunButton "import dvcq.excel.xl; dvcq.excel.xl.tong_hop()", U("T\u1ed5ng h\u1ee3p")
    Exit Sub
Failed:
    ShowFailure U("T\u1ed5ng h\u1ee3p"), Err.Number, Err.Description
End Sub

Sub XuatBaoCao()
    On Error GoTo Failed
    RunButton "import dvcq.excel.xl; dvcq.excel.xl.xuat_bao_cao()", U("Xu\u1ea5t b\u00e1o c\u00e1o")
    Exit Sub
Failed:
    ShowFailure U("Xu\u1ea5t b\u00e1o c\u00e1o"), Err.Number, Err.Description
End Sub

Sub XuatKeHoach()
    On Error GoTo Failed
    RunButton "import dvcq.excel.xl; dvcq.excel.xl.xuat_ke_hoach()", U("Xu\u1ea5t k\u1ebf ho\u1ea1ch")
    Exit Sub
Failed:
    ShowFailure U("Xu\u1ea5t k\u1ebf ho\u1ea1ch"), Err.Number, Err.Description
End Sub

Private Sub RunButton(ByVal pythonCode As String, ByVal caption As String)
    ' Check, write the resolved paths into the settings xlwings reads, run, then tell what Python could not.
    Dim python As String, logFolder As String
    If Not ReadyInterpreter(caption, python) Then Exit Sub
    If Not ReadyLogFolder(caption, logFolder) Then Exit Sub
    SetConf "INTERPRETER_WIN", python
    SetConf "TEMP DIR", logFolder
    DropErrorSheet
    Application.StatusBar = U("dvcq \u0111ang ch\u1ea1y: ") & caption & " ..."
    RunPython pythonCode
    Application.StatusBar = False
    TellPythonError caption
End Sub

Private Function ReadyInterpreter(ByVal caption As String, ByRef python As String) As Boolean
    Dim longPath As String, home As String
    longPath = Expanded(TemplateValue(PYTHON_TEMPLATE))
    If Not Fso().FileExists(longPath) Then
        Tell caption, U("Kh\u00f4ng th\u1ea5y Python c\u1ee7a dvcq t\u1ea1i:\n") & longPath & U("\n\nC\u00f3 th\u1ec3 dvcq ch\u01b0a \u0111\u01b0\u1ee3c c\u00e0i " & _
            "cho t\u00e0i kho\u1ea3n Windows n\u00e0y, ho\u1eb7c l\u1ea7n c\u00e0i tr\u01b0\u1edbc ch\u01b0a xong. H\u00e3y \u0111\u00f3ng Excel, b\u1ea5m \u0111\u00fap t\u1ec7p cai-dat.bat " & _
            "trong th\u01b0 m\u1ee5c b\u1ed9 c\u00e0i dvcq, r\u1ed3i m\u1edf l\u1ea1i b\u1ea3ng \u0111i\u1ec1u khi\u1ec3n.")
        Exit Function
    End If
    home = VenvHome(longPath)
    If home <> "" Then
        If Not Fso().FileExists(home & "\python.exe") Then
            Tell caption, U("Python \u0111\u00e3 d\u00f9ng \u0111\u1ec3 c\u00e0i dvcq kh\u00f4ng c\u00f2n tr\u00ean m\u00e1y (\u0111\u00e3 g\u1ee1 ho\u1eb7c \u0111\u1ed5i phi\u00ean b\u1ea3n):\n") & home & _
                U("\n\nH\u00e3y \u0111\u00f3ng Excel, b\u1ea5m \u0111\u00fap t\u1ec7p cai-dat.bat \u0111\u1ec3 c\u00e0i l\u1ea1i dvcq, r\u1ed3i m\u1edf l\u1ea1i b\u1ea3ng \u0111i\u1ec1u khi\u1ec3n.")
            Exit Function
        End If
    End If
    python = AnsiPath(longPath, False)
    If python = "" Then
        Tell caption, U("\u0110\u01b0\u1eddng d\u1eabn t\u1edbi Python c\u1ee7a dvcq c\u00f3 ch\u1eef m\u00e0 Excel kh\u00f4ng \u0111\u1ecdc \u0111\u01b0\u1ee3c theo b\u1ea3ng m\u00e3 c\u1ee7a " & _
            "Windows (th\u01b0\u1eddng do t\u00ean t\u00e0i kho\u1ea3n Windows c\u00f3 d\u1ea5u), v\u00e0 \u1ed5 \u0111\u0129a kh\u00f4ng c\u00f3 t\u00ean ng\u1eafn cho n\u00f3:\n") & longPath & _
            U("\n\nH\u00e3y nh\u1edd c\u00e1n b\u1ed9 k\u1ef9 thu\u1eadt b\u1eadt t\u00ean ng\u1eafn (8.3) cho \u1ed5 \u0111\u0129a n\u00e0y r\u1ed3i ch\u1ea1y l\u1ea1i cai-dat.bat, ho\u1eb7c c\u00e0i " & _
            "dvcq cho m\u1ed9t t\u00e0i kho\u1ea3n Windows c\u00f3 t\u00ean kh\u00f4ng d\u1ea5u.")
        Exit Function
    End If
    ReadyInterpreter = True
End Function

Private Function ReadyLogFolder(ByVal caption As String, ByRef folder As String) As Boolean
    ' xlwings has Python's error output written into this folder and reads it back with VBA's Open.
    Dim wanted As String
    wanted = Expanded(TemplateValue(TEMP_TEMPLATE))
    If Fso().FolderExists(wanted) Then folder = AnsiPath(wanted, True)
    If folder <> "" Then
        If Not CanWrite(folder) Then folder = ""
    End If
    If folder = "" Then
        folder = AnsiPath(Expanded("%PUBLIC%"), True)
        If folder <> "" Then
            If Not CanWrite(folder) Then folder = ""
        End If
    End If
    If folder = "" Then
        Tell caption, U("Kh\u00f4ng c\u00f3 th\u01b0 m\u1ee5c t\u1ea1m ghi \u0111\u01b0\u1ee3c \u0111\u1ec3 Excel nh\u1eadn th\u00f4ng b\u00e1o l\u1ed7i c\u1ee7a Python:\n") & wanted & _
            U("\n\nH\u00e3y nh\u1edd c\u00e1n b\u1ed9 k\u1ef9 thu\u1eadt ki\u1ec3m tra bi\u1ebfn m\u00f4i tr\u01b0\u1eddng TEMP c\u1ee7a t\u00e0i kho\u1ea3n Windows n\u00e0y.")
        Exit Function
    End If
    ReadyLogFolder = True
End Function

Private Sub TellPythonError(ByVal caption As String)
    ' With SHOW_ERROR_POPUPS False, xlwings writes what Python printed on failing into a sheet "Error".
    Dim detail As String
    If Not SheetThere(ERROR_SHEET) Then Exit Sub
    detail = CStr(ThisWorkbook.Worksheets(ERROR_SHEET).Range("A1").Value)
    DropErrorSheet
    If Len(detail) > DETAIL_MAX Then detail = "..." & Right$(detail, DETAIL_MAX)
    If InStr(detail, "No module named") > 0 Or InStr(detail, "ImportError") > 0 _
            Or InStr(detail, "ModuleNotFoundError") > 0 Then
        Tell caption, U("Python kh\u00f4ng n\u1ea1p \u0111\u01b0\u1ee3c dvcq: b\u1ea3n c\u00e0i \u0111\u1eb7t thi\u1ebfu ho\u1eb7c h\u1ecfng. H\u00e3y \u0111\u00f3ng Excel, b\u1ea5m \u0111\u00fap t\u1ec7p " & _
            "cai-dat.bat \u0111\u1ec3 c\u00e0i l\u1ea1i dvcq, r\u1ed3i m\u1edf l\u1ea1i b\u1ea3ng \u0111i\u1ec1u khi\u1ec3n.\n\nChi ti\u1ebft k\u1ef9 thu\u1eadt (g\u1eedi k\u00e8m khi b\u00e1o " & _
            "c\u00e1n b\u1ed9 k\u1ef9 thu\u1eadt):\n") & detail
    Else
        Tell caption, U("dvcq ch\u01b0a l\u00e0m xong vi\u1ec7c n\u00e0y. Chi ti\u1ebft k\u1ef9 thu\u1eadt (g\u1eedi k\u00e8m khi b\u00e1o c\u00e1n b\u1ed9 k\u1ef9 thu\u1eadt):\n\n") & _
            detail
    End If
End Sub

Private Sub ShowFailure(ByVal caption As String, ByVal number As Long, ByVal description As String)
    ' The error handler of every button.
    On Error Resume Next
    Application.StatusBar = False
    Application.DisplayAlerts = True
    If number = ERR_CANT_CREATE_OBJECT Then
        Tell caption, U("Windows kh\u00f4ng cho Excel d\u00f9ng c\u00e1c th\u00e0nh ph\u1ea7n WScript.Shell, Scripting.FileSystemObject " & _
            "m\u00e0 n\u00fat b\u1ea5m c\u1ea7n \u0111\u1ec3 g\u1ecdi Python (ch\u00ednh s\u00e1ch b\u1ea3o m\u1eadt c\u1ee7a m\u00e1y). H\u00e3y nh\u1edd c\u00e1n b\u1ed9 k\u1ef9 thu\u1eadt cho ph\u00e9p.\n\n" & _
            "Chi ti\u1ebft: ") & description
    ElseIf number = ERR_ACCESS_DENIED Then
        Tell caption, U("Windows kh\u00f4ng cho Excel ch\u1ea1y Python (ch\u00ednh s\u00e1ch b\u1ea3o m\u1eadt ho\u1eb7c ph\u1ea7n m\u1ec1m di\u1ec7t vi-r\u00fat ch\u1eb7n). " & _
            "H\u00e3y nh\u1edd c\u00e1n b\u1ed9 k\u1ef9 thu\u1eadt cho ph\u00e9p ch\u1ea1y t\u1ec7p pythonw.exe trong th\u01b0 m\u1ee5c %LOCALAPPDATA%\dvcq.\n\n" & _
            "Chi ti\u1ebft: ") & description
    Else
        Tell caption, U("N\u00fat b\u1ea5m g\u1eb7p l\u1ed7i c\u1ee7a Excel (m\u00e3 ") & number & "): " & description & _
            U("\n\nH\u00e3y th\u1eed l\u1ea1i; n\u1ebfu v\u1eabn l\u1ed7i, ch\u1ee5p m\u00e0n h\u00ecnh n\u00e0y g\u1eedi c\u00e1n b\u1ed9 k\u1ef9 thu\u1eadt.")
    End If
End Sub

Private Sub Tell(ByVal caption As String, ByVal text As String)
    ' A message box that shows Vietnamese whatever the ANSI code page (WScript.Shell's Popup is Unicode,
    ' VBA's MsgBox is not and stays only as the fallback).
    Dim title As String
    title = "dvcq - " & caption
    On Error GoTo Fallback
    CreateObject("WScript.Shell").Popup text, 0, title, MB_ICONERROR Or MB_SETFOREGROUND
    Exit Sub
Fallback:
    MsgBox text, vbCritical, title
End Sub

Private Function U(ByVal s As String) As String
    ' "\u" and four hex digits is the character of that code; "\n" a line break; the rest as written.
    Dim i As Long, out As String
    i = 1
    Do While i <= Len(s)
        If Mid$(s, i, 2) = "\u" And i + 5 <= Len(s) Then
            out = out & ChrW(CLng("&H" & Mid$(s, i + 2, 4) & "&"))
            i = i + 6
        ElseIf Mid$(s, i, 2) = "\n" Then
            out = out & vbCrLf
            i = i + 2
        Else
            out = out & Mid$(s, i, 1)
            i = i + 1
        End If
    Loop
    U = out
End Function

Private Function Fso() As Object
    Static it As Object
    If it Is Nothing Then Set it = CreateObject("Scripting.FileSystemObject")
    Set Fso = it
End Function

Private Function Expanded(ByVal s As String) As String
    ' Environment variables expanded as xlwings does (WScript.Shell, Unicode).
    Expanded = CreateObject("WScript.Shell").ExpandEnvironmentStrings(s)
End Function

Private Function FitsAnsi(ByVal s As String) As Boolean
    ' Whether s survives the ANSI code page that VBA's Open, GetAttr and Kill use.
    FitsAnsi = (StrConv(StrConv(s, vbFromUnicode), vbUnicode) = s)
End Function

Private Function AnsiPath(ByVal path As String, ByVal isFolder As Boolean) As String
    ' path itself when it fits the ANSI code page, else its 8.3 short name when that does; else "".
    Dim shortName As String
    If FitsAnsi(path) Then
        AnsiPath = path
        Exit Function
    End If
    On Error Resume Next
    If isFolder Then
        shortName = Fso().GetFolder(path).ShortPath
    Else
        shortName = Fso().GetFile(path).ShortPath
    End If
    On Error GoTo 0
    If shortName <> "" Then
        If FitsAnsi(shortName) Then AnsiPath = shortName
    End If
End Function

Private Function CanWrite(ByVal folder As String) As Boolean
    Dim probe As String
    probe = folder & "\dvcq-" & Format$(Now, "yyyymmddhhnnss") & "-" & CStr(Int(Rnd * 100000)) & ".tmp"
    On Error GoTo Refused
    Fso().CreateTextFile(probe, True).Close
    Fso().DeleteFile probe, True
    CanWrite = True
    Exit Function
Refused:
    CanWrite = False
End Function

Private Function VenvHome(ByVal python As String) As String
    ' The folder of the Python that made the environment of python (pyvenv.cfg "home"); "" when unknown.
    Dim cfg As String, text As String, lines As Variant, i As Long, parts As Variant
    On Error GoTo Unknown
    cfg = Fso().GetParentFolderName(Fso().GetParentFolderName(python)) & "\pyvenv.cfg"
    If Not Fso().FileExists(cfg) Then Exit Function
    With CreateObject("ADODB.Stream")
        .Type = 2
        .Charset = "utf-8"
        .Open
        .LoadFromFile cfg
        text = .ReadText
        .Close
    End With
    lines = Split(Replace(text, vbCr, ""), vbLf)
    For i = LBound(lines) To UBound(lines)
        parts = Split(lines(i), "=", 2)
        If UBound(parts) = 1 Then
            If LCase$(Trim$(parts(0))) = "home" Then VenvHome = Trim$(parts(1))
        End If
    Next i
    Exit Function
Unknown:
    VenvHome = ""
End Function

Private Function TemplateValue(ByVal definedName As String) As String
    TemplateValue = CStr(ThisWorkbook.Names(definedName).RefersToRange.Value)
End Function

Private Sub SetConf(ByVal key As String, ByVal value As String)
    ' The value of a key in the block of the xlwings.conf sheet that xlwings reads (A1 down to a blank).
    Dim cell As Range
    Set cell = ThisWorkbook.Worksheets(CONF_SHEET).Range("A1")
    Do While CStr(cell.Value) <> ""
        If UCase$(CStr(cell.Value)) = key Then
            cell.Offset(0, 1).NumberFormat = "@"
            cell.Offset(0, 1).Value = value
            Exit Sub
        End If
        Set cell = cell.Offset(1, 0)
    Loop
    Err.Raise vbObjectError + 513, "dvcq", "xlwings.conf: " & key
End Sub

Private Function SheetThere(ByVal sheetName As String) As Boolean
    Dim sht As Object
    On Error Resume Next
    Set sht = ThisWorkbook.Worksheets(sheetName)
    On Error GoTo 0
    SheetThere = Not sht Is Nothing
End Function

Private Sub DropErrorSheet()
    If Not SheetThere(ERROR_SHEET) Then Exit Sub
    Application.DisplayAlerts = False
    ThisWorkbook.Worksheets(ERROR_SHEET).Delete
    Application.DisplayAlerts = True
End Sub
