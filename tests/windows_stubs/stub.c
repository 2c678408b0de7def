/*
 * Stand-ins for py.exe, python.exe, explorer.exe and a venv's python.exe, used by
 * tests/test_windows_bat.py to run windows/sjukmiljard.bat under Wine without a real Python.
 *
 * Every call appends one JSON line to the file named by %STUB_LOG% (UTF-8):
 *   {"exe": "<full path>", "cwd": "...", "cmdline": "<raw command line>", "argv": [...],
 *    "pythonutf8": "<%PYTHONUTF8%>"}
 *
 * Built twice by the test:  x86_64-w64-mingw32-gcc -municode stub.c -o launcher.exe
 *                           x86_64-w64-mingw32-gcc -municode -DVENV_PYTHON stub.c -o venv-python.exe
 *
 * Launcher (copied as py.exe, python.exe, explorer.exe); NAME is the file name without .exe in
 * upper case, e.g. PY:
 *   STUB_MODE_<NAME>=ok     (default) "-c ..." (the version check) exits 0
 *   STUB_MODE_<NAME>=old    "-c ..." exits 1, as Python 3.10 does for the version check
 *   STUB_MODE_<NAME>=store  every call prints the Microsoft Store stub's message, exits 9009
 *   In a folder named like an install folder, e.g. ...\Python39\python.exe, the stand-in is that
 *   version: "-c ..." exits 1 when it is older than 3.11, and STUB_MODE_PYTHON does not apply.
 *   -3.X ...                exits 103 ("No suitable Python runtime found") unless 3.X is one of
 *                           the space-separated versions in %STUB_PY_VERSIONS% (default 3.13),
 *                           as the py launcher does; -3 alone picks any
 *   [-3[.X]] -m venv DIR    creates DIR\Scripts\python.exe, a copy of venv-python.exe that lies
 *                           beside the launcher; exits %STUB_VENV_EXIT% (default 0)
 *   anything else           exits %STUB_EXIT_<NAME>% (default 0)
 *
 * Venv python (VENV_PYTHON):
 *   -m pip ...              exits %STUB_PIP_EXIT% (default 0)
 *   -m sjukmiljard ...      prints one line, exits %STUB_EXIT% (default 0)
 *   -c ...                  exits %STUB_HEALTH_EXIT% (default 0)
 */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <windows.h>

static int env_int(const wchar_t *name, int fallback) {
    const wchar_t *value = _wgetenv(name);
    return value && *value ? _wtoi(value) : fallback;
}

static void put_json(FILE *out, const wchar_t *text) {
    int size = WideCharToMultiByte(CP_UTF8, 0, text, -1, NULL, 0, NULL, NULL);
    char *utf8 = malloc(size > 0 ? size : 1);
    if (!utf8) return;
    if (size <= 0) utf8[0] = 0;
    else WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8, size, NULL, NULL);
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)utf8; *c; c++) {
        if (*c == '"' || *c == '\\') fprintf(out, "\\%c", *c);
        else if (*c < 0x20) fprintf(out, "\\u%04x", *c);
        else fputc(*c, out);
    }
    fputc('"', out);
    free(utf8);
}

static void log_call(int argc, wchar_t **argv) {
    const wchar_t *path = _wgetenv(L"STUB_LOG");
    if (!path || !*path) return;
    FILE *out = _wfopen(path, L"ab");
    if (!out) return;
    wchar_t exe[MAX_PATH * 4], cwd[MAX_PATH * 4];
    GetModuleFileNameW(NULL, exe, sizeof exe / sizeof *exe);
    GetCurrentDirectoryW(sizeof cwd / sizeof *cwd, cwd);
    const wchar_t *utf8_mode = _wgetenv(L"PYTHONUTF8");
    fputs("{\"exe\": ", out);
    put_json(out, exe);
    fputs(", \"cwd\": ", out);
    put_json(out, cwd);
    fputs(", \"cmdline\": ", out);
    put_json(out, GetCommandLineW());
    fputs(", \"pythonutf8\": ", out);
    put_json(out, utf8_mode ? utf8_mode : L"");
    fputs(", \"argv\": [", out);
    for (int i = 1; i < argc; i++) {
        if (i > 1) fputs(", ", out);
        put_json(out, argv[i]);
    }
    fputs("]}\n", out);
    fclose(out);
}

static int is(const wchar_t *arg, const wchar_t *text) { return arg && wcscmp(arg, text) == 0; }

#ifdef VENV_PYTHON

int wmain(int argc, wchar_t **argv) {
    log_call(argc, argv);
    if (argc > 2 && is(argv[1], L"-m") && is(argv[2], L"pip")) return env_int(L"STUB_PIP_EXIT", 0);
    if (argc > 2 && is(argv[1], L"-m") && is(argv[2], L"sjukmiljard")) {
        printf("stub-sjukmiljard: %d argument\n", argc - 3);
        fflush(stdout);
        return env_int(L"STUB_EXIT", 0);
    }
    if (argc > 1 && is(argv[1], L"-c")) return env_int(L"STUB_HEALTH_EXIT", 0);
    return 0;
}

#else

/* NAME: the program's file name without extension, in upper case. */
static void own_name(wchar_t *name, size_t size) {
    wchar_t exe[MAX_PATH * 4];
    GetModuleFileNameW(NULL, exe, sizeof exe / sizeof *exe);
    const wchar_t *base = wcsrchr(exe, L'\\');
    base = base ? base + 1 : exe;
    wcsncpy(name, base, size - 1);
    name[size - 1] = 0;
    wchar_t *dot = wcsrchr(name, L'.');
    if (dot) *dot = 0;
    for (wchar_t *c = name; *c; c++) *c = towupper(*c);
}

/* The minor version of an install folder "Python3NN" holding the program, or -1. */
static int folder_minor(void) {
    wchar_t exe[MAX_PATH * 4];
    GetModuleFileNameW(NULL, exe, sizeof exe / sizeof *exe);
    wchar_t *slash = wcsrchr(exe, L'\\');
    if (!slash) return -1;
    *slash = 0;
    const wchar_t *folder = wcsrchr(exe, L'\\');
    folder = folder ? folder + 1 : exe;
    if (_wcsnicmp(folder, L"Python3", 7) != 0 || !iswdigit(folder[7])) return -1;
    return _wtoi(folder + 7);
}

static int make_venv(const wchar_t *dir) {
    wchar_t source[MAX_PATH * 4], scripts[MAX_PATH * 4], target[MAX_PATH * 4];
    GetModuleFileNameW(NULL, source, sizeof source / sizeof *source);
    wchar_t *slash = wcsrchr(source, L'\\');
    if (!slash) return 70;
    wcscpy(slash + 1, L"venv-python.exe");
    _snwprintf(scripts, sizeof scripts / sizeof *scripts, L"%ls\\Scripts", dir);
    _snwprintf(target, sizeof target / sizeof *target, L"%ls\\python.exe", scripts);
    CreateDirectoryW(dir, NULL);
    CreateDirectoryW(scripts, NULL);
    if (!CopyFileW(source, target, FALSE)) return 71;
    return env_int(L"STUB_VENV_EXIT", 0);
}

int wmain(int argc, wchar_t **argv) {
    log_call(argc, argv);
    wchar_t name[MAX_PATH], key[MAX_PATH + 32];
    own_name(name, sizeof name / sizeof *name);
    _snwprintf(key, sizeof key / sizeof *key, L"STUB_MODE_%ls", name);
    int minor = folder_minor();
    const wchar_t *mode = minor >= 0 ? NULL : _wgetenv(key); /* install folders: their version only */
    if (is(mode, L"store")) {
        fputs("Python was not found; run without arguments to install from the Microsoft Store, "
              "or disable this shortcut from Settings > Manage App Execution Aliases.\n",
              stderr);
        return 9009;
    }
    int i = 1;
    if (i < argc && wcsncmp(argv[i], L"-3.", 3) == 0) {
        const wchar_t *versions = _wgetenv(L"STUB_PY_VERSIONS");
        wchar_t have[512];
        _snwprintf(have, sizeof have / sizeof *have, L" %ls ", versions ? versions : L"3.13");
        wchar_t wanted[64];
        _snwprintf(wanted, sizeof wanted / sizeof *wanted, L" %ls ", argv[i] + 1);
        if (!wcsstr(have, wanted)) {
            fputs("No suitable Python runtime found\n", stderr);
            return 103;
        }
    }
    if (i < argc && wcsncmp(argv[i], L"-3", 2) == 0) i++;
    if (i < argc && is(argv[i], L"-c")) {
        return is(mode, L"old") || (minor >= 0 && minor < 11) ? 1 : 0;
    }
    if (i + 2 < argc && is(argv[i], L"-m") && is(argv[i + 1], L"venv")) return make_venv(argv[i + 2]);
    _snwprintf(key, sizeof key / sizeof *key, L"STUB_EXIT_%ls", name);
    return env_int(key, 0);
}

#endif
