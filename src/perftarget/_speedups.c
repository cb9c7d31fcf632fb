/* perftarget._speedups: the hot loops of the fast JSON path (perftarget._fast), in C.
 *
 * Optional: compiled at install time when a C compiler is at hand (hatch_build.py); without it
 * perftarget._fast runs the same steps in Python. Two functions:
 *
 * - dump(obj) writes the JSON text of a Document or ProjectTargets in one pass: exactly the bytes
 *
 *       json.dumps(to_dict(obj), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
 *
 *   walking the attrs objects directly: fields in the order the converter writes them, a field
 *   left out when it holds its default, the string escapes of the json module. The few leaves
 *   whose text needs Python (a target's stored text, a decimal's text, once per distinct one)
 *   are asked of the functions perftarget._fast hands to configure(). Whenever the objects hold
 *   anything the converter would write differently, or that this file does not know (a str
 *   subclass, a bool where an int is expected, a lone surrogate, an integer beyond 64 bits, an
 *   unset slot...), dump() returns None and the caller writes the object the general way. It
 *   never guesses.
 *
 * - build_indicators(items) makes the Indicator objects of a goal from the decoder's structs,
 *   as perftarget._fast._indicators does in Python: the same shared leaves from the same caches
 *   (and the same Python functions on a cache miss), the slots filled directly.
 *
 * The model classes are slotted attrs classes (and the decoder's structs slotted msgspec
 * structs); configure() records where each field lives in an instance (the offset of its member
 * descriptor), and the code reads and fills fields there after checking the exact class of every
 * object. tests/test_speedups.py compares both functions with the Python and cattrs paths.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>
#include <string.h>

#ifndef Py_T_OBJECT_EX
#include <structmember.h>
#define Py_T_OBJECT_EX T_OBJECT_EX
#endif

#ifndef PERFTARGET_SOURCE_SHA256
#define PERFTARGET_SOURCE_SHA256 ""
#endif

/* ---- configuration (set by configure()) ------------------------------------------------- */

static PyObject *T_Document, *T_Department, *T_Project, *T_Unit, *T_Budget, *T_Basis;
static PyObject *T_Suppression, *T_Indicator, *T_Goal, *T_Measure, *T_Checkpoint, *T_Schedule;
static PyObject *T_Level1, *T_Level2, *T_Category, *T_Decimal;
static PyObject *Written;         /* dict: id(threshold) -> (threshold, text), shared with _fast */
static PyObject *WriteThreshold;  /* threshold -> its stored text (remembers it in Written) */
static PyObject *WriteNumber;     /* Decimal -> its stored text */
static long long SchemaVersion;
static int Configured = 0;
static PyObject *A_value_;        /* "_value_": where an enum member keeps its value */

/* Offsets of the fields in instances of the model classes. */
static Py_ssize_t Doc_department, Doc_projects, Doc_notes;
static Py_ssize_t Dep_unit, Dep_year, Dep_duties, Dep_goals, Dep_measures, Dep_year_assumed;
static Py_ssize_t Pro_unit, Pro_code, Pro_name, Pro_year, Pro_budget, Pro_purpose, Pro_schedule;
static Py_ssize_t Pro_goals, Pro_year_assumed, Pro_suppressions;
static Py_ssize_t Uni_code, Uni_name;
static Py_ssize_t Bud_total, Bud_fiscal, Bud_other;
static Py_ssize_t Bas_text, Bas_category;
static Py_ssize_t Sup_code, Sup_reason;
static Py_ssize_t Ind_name, Ind_target, Ind_level1, Ind_level2, Ind_description, Ind_basis;
static Py_ssize_t Ind_weight, Ind_key, Ind_suppressions;
static Py_ssize_t Goa_content, Goa_indicators;
static Py_ssize_t Mea_title, Mea_detail;
static Py_ssize_t Che_date, Che_percent, Che_label;
static Py_ssize_t Sch_fiscal_year, Sch_checkpoints, Sch_multi_year, Sch_start_month;

typedef struct {
    const char *class_name;
    const char *field;
    Py_ssize_t *offset;
} Slot;

static const Slot SLOTS[] = {
    {"Document", "department", &Doc_department},
    {"Document", "projects", &Doc_projects},
    {"Document", "notes", &Doc_notes},
    {"DepartmentTargets", "unit", &Dep_unit},
    {"DepartmentTargets", "year", &Dep_year},
    {"DepartmentTargets", "duties", &Dep_duties},
    {"DepartmentTargets", "goals", &Dep_goals},
    {"DepartmentTargets", "measures", &Dep_measures},
    {"DepartmentTargets", "year_assumed", &Dep_year_assumed},
    {"ProjectTargets", "unit", &Pro_unit},
    {"ProjectTargets", "code", &Pro_code},
    {"ProjectTargets", "name", &Pro_name},
    {"ProjectTargets", "year", &Pro_year},
    {"ProjectTargets", "budget", &Pro_budget},
    {"ProjectTargets", "purpose", &Pro_purpose},
    {"ProjectTargets", "schedule", &Pro_schedule},
    {"ProjectTargets", "goals", &Pro_goals},
    {"ProjectTargets", "year_assumed", &Pro_year_assumed},
    {"ProjectTargets", "suppressions", &Pro_suppressions},
    {"Unit", "code", &Uni_code},
    {"Unit", "name", &Uni_name},
    {"Budget", "total", &Bud_total},
    {"Budget", "fiscal", &Bud_fiscal},
    {"Budget", "other", &Bud_other},
    {"Basis", "text", &Bas_text},
    {"Basis", "category", &Bas_category},
    {"Suppression", "code", &Sup_code},
    {"Suppression", "reason", &Sup_reason},
    {"Indicator", "name", &Ind_name},
    {"Indicator", "target", &Ind_target},
    {"Indicator", "level1", &Ind_level1},
    {"Indicator", "level2", &Ind_level2},
    {"Indicator", "description", &Ind_description},
    {"Indicator", "basis", &Ind_basis},
    {"Indicator", "weight", &Ind_weight},
    {"Indicator", "key", &Ind_key},
    {"Indicator", "suppressions", &Ind_suppressions},
    {"Goal", "content", &Goa_content},
    {"Goal", "indicators", &Goa_indicators},
    {"Measure", "title", &Mea_title},
    {"Measure", "detail", &Mea_detail},
    {"Checkpoint", "date", &Che_date},
    {"Checkpoint", "percent", &Che_percent},
    {"Checkpoint", "label", &Che_label},
    {"SpendingSchedule", "fiscal_year", &Sch_fiscal_year},
    {"SpendingSchedule", "checkpoints", &Sch_checkpoints},
    {"SpendingSchedule", "multi_year", &Sch_multi_year},
    {"SpendingSchedule", "start_month", &Sch_start_month},
};

/* The object in a slot (borrowed), or NULL when the slot is unset. Only after the exact class of
 * obj was checked: the offsets belong to the model classes. */
#define SLOT(obj, offset) (*(PyObject **)((char *)(obj) + (offset)))

/* ---- output ------------------------------------------------------------------------------- */

typedef struct {
    PyObject *bytes;   /* the result, grown as it is written */
    char *data;        /* PyBytes_AS_STRING(bytes) */
    Py_ssize_t len;
    Py_ssize_t cap;
    int depth;
    PyObject *numbers; /* dict: id(decimal) -> (decimal, text), for this call */
} Out;

/* Results of the writers: 0 written, -1 a Python error is set, -2 not ours to write (fall back). */
#define OK 0
#define ERR -1
#define FALLBACK -2
#define TRY(x) do { int r_ = (x); if (r_ != OK) return r_; } while (0)

static int
grow(Out *o, Py_ssize_t extra)
{
    Py_ssize_t cap = o->cap;
    while (cap < o->len + extra) {
        if (cap > PY_SSIZE_T_MAX / 2) {
            PyErr_NoMemory();
            return ERR;
        }
        cap *= 2;
    }
    if (_PyBytes_Resize(&o->bytes, cap) < 0) {
        return ERR;
    }
    o->data = PyBytes_AS_STRING(o->bytes);
    o->cap = cap;
    return OK;
}

static inline int
reserve(Out *o, Py_ssize_t extra)
{
    return o->len + extra <= o->cap ? OK : grow(o, extra);
}

static inline int
put(Out *o, const char *s, Py_ssize_t n)
{
    TRY(reserve(o, n));
    memcpy(o->data + o->len, s, (size_t)n);
    o->len += n;
    return OK;
}

/* The separator before an item of an object or a list, a newline and two spaces per level,
 * then `text` (a key with its quotes and ": ", or nothing). */
static int
put_line(Out *o, int *first, const char *text, Py_ssize_t n)
{
    Py_ssize_t indent = 2 * (Py_ssize_t)o->depth;
    TRY(reserve(o, 2 + indent + n));
    char *p = o->data + o->len;
    if (*first) {
        *first = 0;
    }
    else {
        *p++ = ',';
    }
    *p++ = '\n';
    memset(p, ' ', (size_t)indent);
    p += indent;
    memcpy(p, text, (size_t)n);
    o->len = p + n - o->data;
    return OK;
}

/* A key as put_line takes it: KEY("name") is "\"name\": " and its length. */
#define KEY(name) "\"" name "\": ", (Py_ssize_t)(sizeof("\"" name "\": ") - 1)

static int
begin(Out *o, char bracket)
{
    o->depth++;
    return put(o, &bracket, 1);
}

/* Close an object or a list: on a line of its own unless it is empty. */
static int
end(Out *o, char bracket, int empty)
{
    o->depth--;
    if (!empty) {
        Py_ssize_t indent = 2 * (Py_ssize_t)o->depth;
        TRY(reserve(o, 2 + indent));
        char *p = o->data + o->len;
        *p++ = '\n';
        memset(p, ' ', (size_t)indent);
        o->len += 1 + indent;
    }
    return put(o, &bracket, 1);
}

static const char HEX[] = "0123456789abcdef";

/* The json module's escapes (ensure_ascii=False): \" \\ \n \r \t \b \f, and \u00XX for the
 * other control characters. UTF-8 for everything else; a lone surrogate is not written. */
#define ENCODE(TYPE)                                                             \
    {                                                                            \
        const TYPE *in = (const TYPE *)data;                                     \
        for (Py_ssize_t i = 0; i < n; i++) {                                     \
            Py_UCS4 c = in[i];                                                   \
            if (c < 0x80) {                                                      \
                if (c >= 0x20 && c != '"' && c != '\\') {                        \
                    *p++ = (char)c;                                              \
                    continue;                                                    \
                }                                                                \
                *p++ = '\\';                                                     \
                switch (c) {                                                     \
                case '"': *p++ = '"'; break;                                     \
                case '\\': *p++ = '\\'; break;                                   \
                case '\n': *p++ = 'n'; break;                                    \
                case '\r': *p++ = 'r'; break;                                    \
                case '\t': *p++ = 't'; break;                                    \
                case '\b': *p++ = 'b'; break;                                    \
                case '\f': *p++ = 'f'; break;                                    \
                default:                                                         \
                    *p++ = 'u';                                                  \
                    *p++ = '0';                                                  \
                    *p++ = '0';                                                  \
                    *p++ = HEX[(c >> 4) & 0xf];                                  \
                    *p++ = HEX[c & 0xf];                                         \
                }                                                                \
            }                                                                    \
            else if (c < 0x800) {                                                \
                *p++ = (char)(0xc0 | (c >> 6));                                  \
                *p++ = (char)(0x80 | (c & 0x3f));                                \
            }                                                                    \
            else if (c < 0x10000) {                                              \
                if (c >= 0xd800 && c <= 0xdfff) {                                \
                    return FALLBACK;                                             \
                }                                                                \
                *p++ = (char)(0xe0 | (c >> 12));                                 \
                *p++ = (char)(0x80 | ((c >> 6) & 0x3f));                         \
                *p++ = (char)(0x80 | (c & 0x3f));                                \
            }                                                                    \
            else {                                                               \
                *p++ = (char)(0xf0 | (c >> 18));                                 \
                *p++ = (char)(0x80 | ((c >> 12) & 0x3f));                        \
                *p++ = (char)(0x80 | ((c >> 6) & 0x3f));                         \
                *p++ = (char)(0x80 | (c & 0x3f));                                \
            }                                                                    \
        }                                                                        \
    }

/* A str (exactly str: a subclass is left to the general writer) as a JSON string. */
static int
put_str(Out *o, PyObject *s)
{
    if (s == NULL || !PyUnicode_CheckExact(s)) {
        return FALLBACK;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    /* at most 6 bytes a character (\u00XX; 4 for UTF-8), and the quotes */
    TRY(reserve(o, 6 * n + 2));
    char *p = o->data + o->len;
    *p++ = '"';
    if (kind == PyUnicode_1BYTE_KIND) {
        ENCODE(Py_UCS1)
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        ENCODE(Py_UCS2)
    }
    else {
        ENCODE(Py_UCS4)
    }
    *p++ = '"';
    o->len = p - o->data;
    return OK;
}

/* An int (exactly int: a bool or a subclass falls back), in decimal. */
static int
put_int(Out *o, PyObject *v)
{
    if (v == NULL || !PyLong_CheckExact(v)) {
        return FALLBACK;
    }
    int overflow = 0;
    long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (overflow) {
        return FALLBACK;
    }
    if (x == -1 && PyErr_Occurred()) {
        return ERR;
    }
    char buf[24];
    char *end_ = buf + sizeof buf;
    char *p = end_;
    unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (x < 0) {
        *--p = '-';
    }
    return put(o, p, end_ - p);
}

static inline int
is_type(PyObject *obj, PyObject *type)
{
    return obj != NULL && (PyObject *)Py_TYPE(obj) == type;
}

/* A str field, left out when it holds its default: "" (none_default 0) or None (1). */
static int
put_optional_str(Out *o, int *first, PyObject *v, const char *key, Py_ssize_t n, int none_default)
{
    if (v == NULL) {
        return FALLBACK;
    }
    if (none_default ? v == Py_None : (PyUnicode_CheckExact(v) && PyUnicode_GET_LENGTH(v) == 0)) {
        return OK;
    }
    TRY(put_line(o, first, key, n));
    return put_str(o, v);
}

/* A bool field whose default is False: written as true, left out when False. */
static int
put_flag(Out *o, int *first, PyObject *v, const char *key, Py_ssize_t n)
{
    if (v == Py_False) {
        return OK;
    }
    if (v != Py_True) {
        return FALLBACK;
    }
    TRY(put_line(o, first, key, n));
    return put(o, "true", 4);
}

/* A Decimal as the converter stores it, a string: WriteNumber's text (perftarget._fast._number),
 * asked once per distinct decimal of the call and remembered by identity. */
static int
put_decimal(Out *o, PyObject *v)
{
    if (!is_type(v, T_Decimal)) {
        return FALLBACK;
    }
    PyObject *key = PyLong_FromVoidPtr(v);
    if (key == NULL) {
        return ERR;
    }
    PyObject *entry = PyDict_GetItemWithError(o->numbers, key); /* borrowed: (decimal, text) */
    PyObject *text;
    if (entry != NULL && PyTuple_GET_ITEM(entry, 0) == v) {
        text = Py_NewRef(PyTuple_GET_ITEM(entry, 1));
    }
    else if (entry == NULL && PyErr_Occurred()) {
        Py_DECREF(key);
        return ERR;
    }
    else {
        text = PyObject_CallOneArg(WriteNumber, v);
        if (text != NULL && !PyUnicode_CheckExact(text)) {
            PyErr_SetString(PyExc_TypeError, "the text of a decimal must be a str");
            Py_CLEAR(text);
        }
        PyObject *pair = text == NULL ? NULL : PyTuple_Pack(2, v, text);
        if (pair == NULL || PyDict_SetItem(o->numbers, key, pair) < 0) {
            Py_XDECREF(pair);
            Py_XDECREF(text);
            Py_DECREF(key);
            return ERR;
        }
        Py_DECREF(pair);
    }
    Py_DECREF(key);
    int r = put_str(o, text);
    Py_DECREF(text);
    return r;
}

/* A Decimal field; left out when None if optional. */
static int
put_decimal_field(Out *o, int *first, PyObject *v, const char *key, Py_ssize_t n, int optional)
{
    if (optional && v == Py_None) {
        return OK;
    }
    TRY(put_line(o, first, key, n));
    return put_decimal(o, v);
}

/* An enum member's value (a str). */
static int
put_enum_value(Out *o, PyObject *member)
{
    PyObject *value = PyObject_GetAttr(member, A_value_);
    if (value == NULL) {
        return ERR;
    }
    int r = put_str(o, value);
    Py_DECREF(value);
    return r;
}

/* A level field: left out when None, a member of `type` as its value, else a str. */
static int
put_level(Out *o, int *first, PyObject *v, const char *key, Py_ssize_t n, PyObject *type)
{
    if (v == Py_None) {
        return OK;
    }
    TRY(put_line(o, first, key, n));
    if (is_type(v, type)) {
        return put_enum_value(o, v);
    }
    return v == NULL ? FALLBACK : put_str(o, v);
}

typedef int (*writer)(Out *, PyObject *);

/* A tuple field as a list; left out when empty unless `always`. */
static int
put_list(Out *o, int *first, PyObject *v, const char *key, Py_ssize_t n, writer write, int always)
{
    if (v == NULL || !PyTuple_CheckExact(v)) {
        return FALLBACK;
    }
    Py_ssize_t size = PyTuple_GET_SIZE(v);
    if (size == 0 && !always) {
        return OK;
    }
    TRY(put_line(o, first, key, n));
    TRY(begin(o, '['));
    int item_first = 1;
    for (Py_ssize_t i = 0; i < size; i++) {
        TRY(put_line(o, &item_first, "", 0));
        TRY(write(o, PyTuple_GET_ITEM(v, i)));
    }
    return end(o, ']', size == 0);
}

/* An object field; left out when None if optional. */
static int
put_object(Out *o, int *first, PyObject *v, const char *key, Py_ssize_t n, writer write, int optional)
{
    if (optional && v == Py_None) {
        return OK;
    }
    if (v == NULL) {
        return FALLBACK;
    }
    TRY(put_line(o, first, key, n));
    return write(o, v);
}

static int
write_text(Out *o, PyObject *s)
{
    return put_str(o, s);
}

static int
write_unit(Out *o, PyObject *u)
{
    if (!is_type(u, T_Unit)) {
        return FALLBACK;
    }
    int first = 1;
    TRY(begin(o, '{'));
    TRY(put_line(o, &first, KEY("code")));
    TRY(put_str(o, SLOT(u, Uni_code)));
    TRY(put_line(o, &first, KEY("name")));
    TRY(put_str(o, SLOT(u, Uni_name)));
    return end(o, '}', 0);
}

static int
write_suppression(Out *o, PyObject *s)
{
    if (!is_type(s, T_Suppression)) {
        return FALLBACK;
    }
    int first = 1;
    TRY(begin(o, '{'));
    TRY(put_line(o, &first, KEY("code")));
    TRY(put_str(o, SLOT(s, Sup_code)));
    TRY(put_line(o, &first, KEY("reason")));
    TRY(put_str(o, SLOT(s, Sup_reason)));
    return end(o, '}', 0);
}

static int
write_budget(Out *o, PyObject *b)
{
    if (!is_type(b, T_Budget)) {
        return FALLBACK;
    }
    int first = 1;
    TRY(begin(o, '{'));
    TRY(put_decimal_field(o, &first, SLOT(b, Bud_total), KEY("total"), 0));
    TRY(put_decimal_field(o, &first, SLOT(b, Bud_fiscal), KEY("fiscal"), 1));
    TRY(put_decimal_field(o, &first, SLOT(b, Bud_other), KEY("other"), 1));
    return end(o, '}', 0);
}

static int
write_checkpoint(Out *o, PyObject *c)
{
    if (!is_type(c, T_Checkpoint)) {
        return FALLBACK;
    }
    PyObject *date = SLOT(c, Che_date);
    if (date == NULL || !PyDate_CheckExact(date)) {
        return FALLBACK; /* a datetime, say: the general writer decides */
    }
    int year = PyDateTime_GET_YEAR(date), month = PyDateTime_GET_MONTH(date);
    int day = PyDateTime_GET_DAY(date);
    char buf[12] = {
        '"', (char)('0' + year / 1000), (char)('0' + year / 100 % 10), (char)('0' + year / 10 % 10),
        (char)('0' + year % 10), '-', (char)('0' + month / 10), (char)('0' + month % 10), '-',
        (char)('0' + day / 10), (char)('0' + day % 10), '"',
    };
    int first = 1;
    TRY(begin(o, '{'));
    TRY(put_line(o, &first, KEY("date")));
    TRY(put(o, buf, 12));
    TRY(put_decimal_field(o, &first, SLOT(c, Che_percent), KEY("percent"), 0));
    TRY(put_optional_str(o, &first, SLOT(c, Che_label), KEY("label"), 1));
    return end(o, '}', 0);
}

static int
write_schedule(Out *o, PyObject *s)
{
    if (!is_type(s, T_Schedule)) {
        return FALLBACK;
    }
    int first = 1;
    TRY(begin(o, '{'));
    TRY(put_line(o, &first, KEY("fiscal_year")));
    TRY(put_int(o, SLOT(s, Sch_fiscal_year)));
    TRY(put_list(o, &first, SLOT(s, Sch_checkpoints), KEY("checkpoints"), write_checkpoint, 1));
    TRY(put_flag(o, &first, SLOT(s, Sch_multi_year), KEY("multi_year")));
    PyObject *month = SLOT(s, Sch_start_month);
    if (month == NULL || !PyLong_CheckExact(month)) {
        return FALLBACK;
    }
    int overflow = 0;
    long m = PyLong_AsLongAndOverflow(month, &overflow);
    if (m == -1 && PyErr_Occurred()) {
        return ERR;
    }
    if (overflow || m != 1) {
        TRY(put_line(o, &first, KEY("start_month")));
        TRY(put_int(o, month));
    }
    return end(o, '}', 0);
}

/* A target as stored: looked up by identity in Written, else asked of WriteThreshold. */
static int
put_target(Out *o, PyObject *target)
{
    if (target == NULL) {
        return FALLBACK;
    }
    PyObject *key = PyLong_FromVoidPtr(target);
    if (key == NULL) {
        return ERR;
    }
    PyObject *entry = PyDict_GetItemWithError(Written, key); /* borrowed */
    Py_DECREF(key);
    PyObject *text;
    if (entry != NULL && PyTuple_CheckExact(entry) && PyTuple_GET_SIZE(entry) == 2
        && PyTuple_GET_ITEM(entry, 0) == target) {
        text = Py_NewRef(PyTuple_GET_ITEM(entry, 1));
    }
    else if (entry == NULL && PyErr_Occurred()) {
        return ERR;
    }
    else {
        Py_INCREF(target); /* Python code runs: keep what it is asked about alive */
        text = PyObject_CallOneArg(WriteThreshold, target);
        Py_DECREF(target);
        if (text == NULL) {
            return ERR;
        }
    }
    int r = put_str(o, text);
    Py_DECREF(text);
    return r;
}

/* A basis: its text alone when it has no category, else {"text", "category"}. */
static int
write_basis(Out *o, PyObject *b)
{
    if (!is_type(b, T_Basis)) {
        return FALLBACK;
    }
    PyObject *category = SLOT(b, Bas_category);
    if (category == Py_None) {
        return put_str(o, SLOT(b, Bas_text));
    }
    if (!is_type(category, T_Category)) {
        return FALLBACK;
    }
    int first = 1;
    TRY(begin(o, '{'));
    TRY(put_line(o, &first, KEY("text")));
    TRY(put_str(o, SLOT(b, Bas_text)));
    TRY(put_line(o, &first, KEY("category")));
    TRY(put_enum_value(o, category));
    return end(o, '}', 0);
}

static int
write_indicator(Out *o, PyObject *i)
{
    if (!is_type(i, T_Indicator)) {
        return FALLBACK;
    }
    int first = 1;
    TRY(begin(o, '{'));
    TRY(put_line(o, &first, KEY("name")));
    TRY(put_str(o, SLOT(i, Ind_name)));
    TRY(put_line(o, &first, KEY("target")));
    TRY(put_target(o, SLOT(i, Ind_target)));
    TRY(put_level(o, &first, SLOT(i, Ind_level1), KEY("level1"), T_Level1));
    TRY(put_level(o, &first, SLOT(i, Ind_level2), KEY("level2"), T_Level2));
    TRY(put_optional_str(o, &first, SLOT(i, Ind_description), KEY("description"), 0));
    TRY(put_object(o, &first, SLOT(i, Ind_basis), KEY("basis"), write_basis, 1));
    TRY(put_decimal_field(o, &first, SLOT(i, Ind_weight), KEY("weight"), 1));
    TRY(put_optional_str(o, &first, SLOT(i, Ind_key), KEY("key"), 1));
    TRY(put_list(o, &first, SLOT(i, Ind_suppressions), KEY("suppressions"), write_suppression, 0));
    return end(o, '}', 0);
}

static int
write_goal(Out *o, PyObject *g)
{
    if (!is_type(g, T_Goal)) {
        return FALLBACK;
    }
    int first = 1;
    TRY(begin(o, '{'));
    TRY(put_line(o, &first, KEY("content")));
    TRY(put_str(o, SLOT(g, Goa_content)));
    TRY(put_list(o, &first, SLOT(g, Goa_indicators), KEY("indicators"), write_indicator, 0));
    return end(o, '}', 0);
}

static int
write_measure(Out *o, PyObject *m)
{
    if (!is_type(m, T_Measure)) {
        return FALLBACK;
    }
    int first = 1;
    TRY(begin(o, '{'));
    TRY(put_line(o, &first, KEY("title")));
    TRY(put_str(o, SLOT(m, Mea_title)));
    TRY(put_optional_str(o, &first, SLOT(m, Mea_detail), KEY("detail"), 0));
    return end(o, '}', 0);
}

static int
write_project(Out *o, PyObject *p)
{
    if (!is_type(p, T_Project)) {
        return FALLBACK;
    }
    int first = 1;
    TRY(begin(o, '{'));
    TRY(put_object(o, &first, SLOT(p, Pro_unit), KEY("unit"), write_unit, 0));
    TRY(put_line(o, &first, KEY("code")));
    TRY(put_str(o, SLOT(p, Pro_code)));
    TRY(put_line(o, &first, KEY("name")));
    TRY(put_str(o, SLOT(p, Pro_name)));
    TRY(put_line(o, &first, KEY("year")));
    TRY(put_int(o, SLOT(p, Pro_year)));
    TRY(put_object(o, &first, SLOT(p, Pro_budget), KEY("budget"), write_budget, 0));
    TRY(put_optional_str(o, &first, SLOT(p, Pro_purpose), KEY("purpose"), 0));
    TRY(put_object(o, &first, SLOT(p, Pro_schedule), KEY("schedule"), write_schedule, 1));
    TRY(put_list(o, &first, SLOT(p, Pro_goals), KEY("goals"), write_goal, 0));
    TRY(put_flag(o, &first, SLOT(p, Pro_year_assumed), KEY("year_assumed")));
    TRY(put_list(o, &first, SLOT(p, Pro_suppressions), KEY("suppressions"), write_suppression, 0));
    return end(o, '}', 0);
}

static int
write_department(Out *o, PyObject *d)
{
    if (!is_type(d, T_Department)) {
        return FALLBACK;
    }
    int first = 1;
    TRY(begin(o, '{'));
    TRY(put_object(o, &first, SLOT(d, Dep_unit), KEY("unit"), write_unit, 0));
    TRY(put_line(o, &first, KEY("year")));
    TRY(put_int(o, SLOT(d, Dep_year)));
    TRY(put_list(o, &first, SLOT(d, Dep_duties), KEY("duties"), write_text, 0));
    TRY(put_list(o, &first, SLOT(d, Dep_goals), KEY("goals"), write_goal, 0));
    TRY(put_list(o, &first, SLOT(d, Dep_measures), KEY("measures"), write_measure, 0));
    TRY(put_flag(o, &first, SLOT(d, Dep_year_assumed), KEY("year_assumed")));
    return end(o, '}', 0);
}

static int
write_document(Out *o, PyObject *doc)
{
    if (!is_type(doc, T_Document)) {
        return FALLBACK;
    }
    int first = 1;
    TRY(begin(o, '{'));
    TRY(put_line(o, &first, KEY("schema_version")));
    PyObject *version = PyLong_FromLongLong(SchemaVersion);
    if (version == NULL) {
        return ERR;
    }
    int r = put_int(o, version);
    Py_DECREF(version);
    TRY(r);
    TRY(put_object(o, &first, SLOT(doc, Doc_department), KEY("department"), write_department, 1));
    TRY(put_list(o, &first, SLOT(doc, Doc_projects), KEY("projects"), write_project, 0));
    TRY(put_optional_str(o, &first, SLOT(doc, Doc_notes), KEY("notes"), 0));
    return end(o, '}', 0);
}

static Py_ssize_t slot_offset(PyObject *type, const char *class_name, const char *field);

/* ---- reading: the indicators of a goal ------------------------------------------------------ */

static PyObject *S_Indicator;     /* perftarget._fast._IndicatorS, the decoder's struct */
static Py_ssize_t SI_name, SI_target, SI_level1, SI_level2, SI_description, SI_basis, SI_weight;
static Py_ssize_t SI_key, SI_suppressions;
/* the caches of perftarget._fast (shared leaves) and what it calls on a miss */
static PyObject *Levels, *Thresholds, *Bases, *Weights;
static PyObject *MakeLevels, *MakeThreshold, *MakeBasis, *MakeWeight, *MakeSuppressions;
static int ReaderConfigured = 0;

static const Slot STRUCT_SLOTS[] = {
    {"_IndicatorS", "name", &SI_name},
    {"_IndicatorS", "target", &SI_target},
    {"_IndicatorS", "level1", &SI_level1},
    {"_IndicatorS", "level2", &SI_level2},
    {"_IndicatorS", "description", &SI_description},
    {"_IndicatorS", "basis", &SI_basis},
    {"_IndicatorS", "weight", &SI_weight},
    {"_IndicatorS", "key", &SI_key},
    {"_IndicatorS", "suppressions", &SI_suppressions},
};

/* cache[key] (a new reference), else make(key); NULL with an error set on failure. */
static PyObject *
shared(PyObject *cache, PyObject *key, PyObject *make)
{
    PyObject *value = PyDict_GetItemWithError(cache, key); /* borrowed */
    if (value != NULL) {
        return Py_NewRef(value);
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    return PyObject_CallOneArg(make, key);
}

/* One Indicator from a decoder struct, as perftarget._fast._indicators builds it. */
static PyObject *
build_indicator(PyObject *s)
{
    if (!is_type(s, S_Indicator)) {
        PyErr_SetString(PyExc_TypeError, "build_indicators: not an indicator struct");
        return NULL;
    }
    PyObject *level1 = SLOT(s, SI_level1), *level2 = SLOT(s, SI_level2), *name = SLOT(s, SI_name);
    PyObject *target = SLOT(s, SI_target), *description = SLOT(s, SI_description);
    PyObject *basis = SLOT(s, SI_basis), *weight = SLOT(s, SI_weight), *key = SLOT(s, SI_key);
    PyObject *suppressions = SLOT(s, SI_suppressions);
    if (!level1 || !level2 || !name || !target || !description || !basis || !weight || !key || !suppressions) {
        PyErr_SetString(PyExc_ValueError, "build_indicators: a field of the struct is unset");
        return NULL;
    }
    PyObject *levels = NULL, *threshold = NULL, *made_basis = NULL, *made_weight = NULL, *made_suppressions = NULL;
    PyObject *pair = PyTuple_Pack(2, level1, level2);
    if (pair == NULL) {
        return NULL;
    }
    levels = PyDict_GetItemWithError(Levels, pair);
    if (levels != NULL) {
        Py_INCREF(levels);
    }
    else if (!PyErr_Occurred()) {
        levels = PyObject_CallFunctionObjArgs(MakeLevels, level1, level2, NULL);
    }
    Py_DECREF(pair);
    if (levels == NULL) {
        goto fail;
    }
    if (!PyTuple_CheckExact(levels) || PyTuple_GET_SIZE(levels) != 2) {
        PyErr_SetString(PyExc_TypeError, "build_indicators: levels must be a pair");
        goto fail;
    }
    threshold = shared(Thresholds, target, MakeThreshold);
    if (threshold == NULL) {
        goto fail;
    }
    if (basis == Py_None) {
        made_basis = Py_NewRef(Py_None);
    }
    else if (PyUnicode_CheckExact(basis)) {
        made_basis = shared(Bases, basis, MakeBasis);
    }
    else {
        made_basis = PyObject_CallOneArg(MakeBasis, basis);
    }
    if (made_basis == NULL) {
        goto fail;
    }
    made_weight = weight == Py_None ? Py_NewRef(Py_None) : shared(Weights, weight, MakeWeight);
    if (made_weight == NULL) {
        goto fail;
    }
    if (PyList_CheckExact(suppressions) && PyList_GET_SIZE(suppressions) == 0) {
        made_suppressions = PyTuple_New(0);
    }
    else {
        made_suppressions = PyObject_CallOneArg(MakeSuppressions, suppressions);
    }
    if (made_suppressions == NULL) {
        goto fail;
    }
    PyTypeObject *type = (PyTypeObject *)T_Indicator;
    PyObject *indicator = type->tp_alloc(type, 0);
    if (indicator == NULL) {
        goto fail;
    }
    /* the new references are handed to the slots */
    SLOT(indicator, Ind_level1) = Py_NewRef(PyTuple_GET_ITEM(levels, 0));
    SLOT(indicator, Ind_level2) = Py_NewRef(PyTuple_GET_ITEM(levels, 1));
    SLOT(indicator, Ind_name) = Py_NewRef(name);
    SLOT(indicator, Ind_description) = Py_NewRef(description);
    SLOT(indicator, Ind_target) = threshold;
    SLOT(indicator, Ind_basis) = made_basis;
    SLOT(indicator, Ind_weight) = made_weight;
    SLOT(indicator, Ind_key) = Py_NewRef(key);
    SLOT(indicator, Ind_suppressions) = made_suppressions;
    Py_DECREF(levels);
    return indicator;

fail:
    Py_XDECREF(levels);
    Py_XDECREF(threshold);
    Py_XDECREF(made_basis);
    Py_XDECREF(made_weight);
    Py_XDECREF(made_suppressions);
    return NULL;
}

PyDoc_STRVAR(build_indicators_doc,
"build_indicators(items, /)\n--\n\n"
"The Indicator objects of a list of the decoder's indicator structs, as a tuple (see\n"
"perftarget._fast._indicators). Raises what the model's checks raise for a bad value.");

static PyObject *
build_indicators(PyObject *module, PyObject *items)
{
    if (!ReaderConfigured) {
        PyErr_SetString(PyExc_RuntimeError, "perftarget._speedups.configure_reader() was not called");
        return NULL;
    }
    if (!PyList_CheckExact(items)) {
        PyErr_SetString(PyExc_TypeError, "build_indicators: expected a list");
        return NULL;
    }
    Py_INCREF(items); /* Python code runs on a cache miss: keep the list and its structs alive */
    Py_ssize_t n = PyList_GET_SIZE(items);
    PyObject *out = PyTuple_New(n);
    for (Py_ssize_t i = 0; out != NULL && i < n; i++) {
        if (i >= PyList_GET_SIZE(items)) {
            PyErr_SetString(PyExc_RuntimeError, "build_indicators: the list changed");
            Py_CLEAR(out);
            break;
        }
        PyObject *s = Py_NewRef(PyList_GET_ITEM(items, i));
        PyObject *indicator = build_indicator(s);
        Py_DECREF(s);
        if (indicator == NULL) {
            Py_CLEAR(out);
            break;
        }
        PyTuple_SET_ITEM(out, i, indicator);
    }
    Py_DECREF(items);
    return out;
}

PyDoc_STRVAR(configure_reader_doc,
"configure_reader(struct, caches, makers, /)\n--\n\n"
"Give build_indicators the decoder's indicator struct, the caches of perftarget._fast (levels,\n"
"thresholds, bases, weights: dicts) and the functions it calls on a miss (levels, threshold,\n"
"basis, weight, suppressions). configure() must have been called. Raises TypeError when the\n"
"struct's fields are not slots.");

static PyObject *
configure_reader(PyObject *module, PyObject *args)
{
    PyObject *structure, *levels, *thresholds, *bases, *weights;
    PyObject *make_levels, *make_threshold, *make_basis, *make_weight, *make_suppressions;
    if (!Configured) {
        PyErr_SetString(PyExc_RuntimeError, "configure_reader: configure() first");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "O!(O!O!O!O!)(OOOOO):configure_reader", &PyType_Type, &structure,
                          &PyDict_Type, &levels, &PyDict_Type, &thresholds, &PyDict_Type, &bases,
                          &PyDict_Type, &weights, &make_levels, &make_threshold, &make_basis,
                          &make_weight, &make_suppressions)) {
        return NULL;
    }
    Py_ssize_t offsets[sizeof STRUCT_SLOTS / sizeof STRUCT_SLOTS[0]];
    for (size_t k = 0; k < sizeof STRUCT_SLOTS / sizeof STRUCT_SLOTS[0]; k++) {
        offsets[k] = slot_offset(structure, STRUCT_SLOTS[k].class_name, STRUCT_SLOTS[k].field);
        if (offsets[k] < 0) {
            return NULL;
        }
    }
    for (size_t k = 0; k < sizeof STRUCT_SLOTS / sizeof STRUCT_SLOTS[0]; k++) {
        *STRUCT_SLOTS[k].offset = offsets[k];
    }
    Py_XSETREF(S_Indicator, Py_NewRef(structure));
    Py_XSETREF(Levels, Py_NewRef(levels));
    Py_XSETREF(Thresholds, Py_NewRef(thresholds));
    Py_XSETREF(Bases, Py_NewRef(bases));
    Py_XSETREF(Weights, Py_NewRef(weights));
    Py_XSETREF(MakeLevels, Py_NewRef(make_levels));
    Py_XSETREF(MakeThreshold, Py_NewRef(make_threshold));
    Py_XSETREF(MakeBasis, Py_NewRef(make_basis));
    Py_XSETREF(MakeWeight, Py_NewRef(make_weight));
    Py_XSETREF(MakeSuppressions, Py_NewRef(make_suppressions));
    ReaderConfigured = 1;
    Py_RETURN_NONE;
}

/* ---- module functions -------------------------------------------------------------------- */

PyDoc_STRVAR(dump_doc,
"dump(obj, /)\n--\n\n"
"The JSON text of a Document or ProjectTargets as UTF-8 bytes, ending in a newline, or None\n"
"when obj is of another class or holds anything this writer leaves to the general one.");

static PyObject *
dump(PyObject *module, PyObject *obj)
{
    if (!Configured) {
        PyErr_SetString(PyExc_RuntimeError, "perftarget._speedups.configure() was not called");
        return NULL;
    }
    writer write;
    if (is_type(obj, T_Document)) {
        write = write_document;
    }
    else if (is_type(obj, T_Project)) {
        write = write_project;
    }
    else {
        Py_RETURN_NONE;
    }
    Out o = {NULL, NULL, 0, 1 << 16, 0, NULL};
    o.bytes = PyBytes_FromStringAndSize(NULL, o.cap);
    if (o.bytes == NULL) {
        return NULL;
    }
    o.data = PyBytes_AS_STRING(o.bytes);
    o.numbers = PyDict_New();
    /* the object and what it holds stay alive while Python code runs in the callbacks */
    Py_INCREF(obj);
    int r = o.numbers == NULL ? ERR : write(&o, obj);
    Py_DECREF(obj);
    if (r == OK) {
        r = put(&o, "\n", 1);
    }
    Py_XDECREF(o.numbers);
    if (r == OK) {
        if (_PyBytes_Resize(&o.bytes, o.len) < 0) {
            return NULL;
        }
        return o.bytes;
    }
    Py_XDECREF(o.bytes);
    if (r == FALLBACK) {
        Py_RETURN_NONE;
    }
    return NULL;
}

PyDoc_STRVAR(configure_doc,
"configure(types, written, write_threshold, write_number, schema_version, /)\n--\n\n"
"Give the writer the model classes (a dict by name), the identity cache of written targets,\n"
"the functions that give a target's and a decimal's text, and the schema version. Raises\n"
"TypeError when a model class is not as this writer expects (a field that is not a slot).");

static const char *TYPE_NAMES[] = {
    "Document", "DepartmentTargets", "ProjectTargets", "Unit", "Budget", "Basis", "Suppression",
    "Indicator", "Goal", "Measure", "Checkpoint", "SpendingSchedule", "Level1", "Level2",
    "BasisCategory", "Decimal",
};

/* Where `field` lives in instances of `type`: its member descriptor's offset, or -1 (error set). */
static Py_ssize_t
slot_offset(PyObject *type, const char *class_name, const char *field)
{
    PyObject *descriptor = PyDict_GetItemString(((PyTypeObject *)type)->tp_dict, field); /* borrowed */
    if (descriptor == NULL || !Py_IS_TYPE(descriptor, &PyMemberDescr_Type)) {
        PyErr_Format(PyExc_TypeError, "configure: %s.%s is not a slot", class_name, field);
        return -1;
    }
    PyMemberDef *member = ((PyMemberDescrObject *)descriptor)->d_member;
    if (member->type != Py_T_OBJECT_EX || member->offset <= 0) {
        PyErr_Format(PyExc_TypeError, "configure: %s.%s is not an object slot", class_name, field);
        return -1;
    }
    return member->offset;
}

static PyObject *
configure(PyObject *module, PyObject *args)
{
    PyObject *types, *written, *write_threshold, *write_number;
    long long version;
    if (!PyArg_ParseTuple(args, "O!O!OOL:configure", &PyDict_Type, &types, &PyDict_Type, &written,
                          &write_threshold, &write_number, &version)) {
        return NULL;
    }
    PyObject **classes[] = {
        &T_Document, &T_Department, &T_Project, &T_Unit, &T_Budget, &T_Basis, &T_Suppression,
        &T_Indicator, &T_Goal, &T_Measure, &T_Checkpoint, &T_Schedule, &T_Level1, &T_Level2,
        &T_Category, &T_Decimal,
    };
    const size_t count = sizeof classes / sizeof classes[0];
    PyObject *found[sizeof classes / sizeof classes[0]];
    for (size_t k = 0; k < count; k++) {
        PyObject *type = PyDict_GetItemString(types, TYPE_NAMES[k]); /* borrowed */
        if (type == NULL || !PyType_Check(type)) {
            PyErr_Format(PyExc_TypeError, "configure: types['%s'] must be a class", TYPE_NAMES[k]);
            return NULL;
        }
        found[k] = type;
    }
    Py_ssize_t offsets[sizeof SLOTS / sizeof SLOTS[0]];
    for (size_t k = 0; k < sizeof SLOTS / sizeof SLOTS[0]; k++) {
        PyObject *type = PyDict_GetItemString(types, SLOTS[k].class_name);
        offsets[k] = slot_offset(type, SLOTS[k].class_name, SLOTS[k].field);
        if (offsets[k] < 0) {
            return NULL;
        }
    }
    /* all checked: now change the configuration */
    for (size_t k = 0; k < count; k++) {
        Py_XSETREF(*classes[k], Py_NewRef(found[k]));
    }
    for (size_t k = 0; k < sizeof SLOTS / sizeof SLOTS[0]; k++) {
        *SLOTS[k].offset = offsets[k];
    }
    Py_XSETREF(Written, Py_NewRef(written));
    Py_XSETREF(WriteThreshold, Py_NewRef(write_threshold));
    Py_XSETREF(WriteNumber, Py_NewRef(write_number));
    SchemaVersion = version;
    Configured = 1;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"dump", (PyCFunction)dump, METH_O, dump_doc},
    {"configure", (PyCFunction)configure, METH_VARARGS, configure_doc},
    {"build_indicators", (PyCFunction)build_indicators, METH_O, build_indicators_doc},
    {"configure_reader", (PyCFunction)configure_reader, METH_VARARGS, configure_reader_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "perftarget._speedups",
    "The hot loops of perftarget's fast JSON path, compiled (optional; see perftarget._fast).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL) {
        return NULL;
    }
    A_value_ = PyUnicode_InternFromString("_value_");
    if (A_value_ == NULL) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&module_def);
    if (module != NULL && PyModule_AddStringConstant(module, "SOURCE_SHA256", PERFTARGET_SOURCE_SHA256) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
