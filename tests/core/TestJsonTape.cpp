#include "util/JsonTape.h"
#include "util/SeededRandom.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <cstring>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

// The oracle is QJsonDocument: every text the tape takes must read exactly as Qt reads it,
// and no text Qt refuses may be taken.
bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

QString describe(const JsonTape &tape, int node, const QJsonValue &qt)
{
    return u"node %1 (tape type %2, Qt %3)"_s.arg(node).arg(int(tape.type(node))).arg(
        QString::fromUtf8(QJsonDocument(QJsonArray{qt}).toJson(QJsonDocument::Compact)));
}

bool same(const JsonTape &tape, int node, const QJsonValue &qt, QString *why)
{
    const auto fail = [&](const QString &what) {
        *why = what + u": "_s + describe(tape, node, qt);
        return false;
    };
    switch (tape.type(node)) {
    case JsonTape::Type::Null:
        return qt.isNull() || fail(u"null"_s);
    case JsonTape::Type::True:
    case JsonTape::Type::False:
        return (qt.isBool() && qt.toBool() == tape.boolean(node)) || fail(u"bool"_s);
    case JsonTape::Type::Number:
        if (!qt.isDouble() || !sameBits(qt.toDouble(), tape.number(node, 0)))
            return fail(u"number"_s);
        if (qt.toInt(-12345) != tape.toInt(node, -12345))
            return fail(u"toInt"_s);
        return qt.toInteger(-7) == tape.toInteger(node, -7) || fail(u"toInteger"_s);
    case JsonTape::Type::String:
        return (qt.isString() && qt.toString() == tape.string(node)) || fail(u"string"_s);
    case JsonTape::Type::Array: {
        if (!qt.isArray() || qt.toArray().size() != tape.count(node))
            return fail(u"array"_s);
        const QJsonArray a = qt.toArray();
        int child = tape.firstChild(node);
        for (const QJsonValue &v : a) {
            if (!same(tape, child, v, why))
                return false;
            child = tape.nextSibling(child);
        }
        return child == -1 || fail(u"array end"_s);
    }
    case JsonTape::Type::Object: {
        if (!qt.isObject())
            return fail(u"object"_s);
        const QJsonObject o = qt.toObject();
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            const QByteArray key = it.key().toLatin1();
            if (QString::fromLatin1(key) != it.key())
                continue; // lookups are by Latin-1 keys
            const int v = tape.value(node, QLatin1StringView(key));
            if (v < 0)
                return fail(u"missing key "_s + it.key());
            if (!same(tape, v, it.value(), why))
                return false;
        }
        return true;
    }
    }
    return fail(u"type"_s);
}

QByteArray randomString(SeededRandom &r)
{
    static const char *pieces[] = {"a", "Z", " ", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\r", "\\b", "\\f",
                                   "\\u0001", "\\u00e9", "\\u4e2d", "\\ud83d\\ude00", "\xc3\xa9", "\xe4\xb8\xad",
                                   "\xf0\x9f\x98\x80", "\xef\xbf\xbe", "\xef\xb7\x90", "\\u0000", "\xc4\xa0", "0",
                                   "\xef\xbb\xbf", "\\ufeff"};
    QByteArray s = "\"";
    for (auto n = r.below(8); n > 0; --n)
        s += pieces[r.below(std::size(pieces))];
    return s + '"';
}

QByteArray randomNumber(SeededRandom &r)
{
    static const char *numbers[] = {"0", "-1", "7", "2147483647", "2147483648", "-2147483649", "9007199254740993",
                                    "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                                    "1.5", "-0.25", "1e3", "1E-7", "-2.5e+10", "0.1", "-0.0", "3.0",
                                    "1e308", "123456789012345678901234567890", "-1.0000000000000002", "5e-324"};
    return numbers[r.below(std::size(numbers))];
}

QByteArray randomValue(SeededRandom &r, int depth)
{
    const auto k = r.below(depth > 3 ? 6 : 8);
    switch (k) {
    case 0: return "null";
    case 1: return r.below(2) ? "true" : "false";
    case 2:
    case 3: return randomNumber(r);
    case 4:
    case 5: return randomString(r);
    case 6: {
        QByteArray a = "[";
        for (auto n = r.below(4); n > 0; --n)
            a += randomValue(r, depth + 1) + (n > 1 ? ", " : "");
        return a + "]";
    }
    default: {
        static const char *keys[] = {"\"a\"", "\"b\"", "\"choices\"", "\"text\"", "\"a\"", "\"k\\u0065y\"",
                                     "\"\xc3\xa9\""};
        QByteArray o = "{ ";
        for (auto n = r.below(5); n > 0; --n)
            o += QByteArray(keys[r.below(std::size(keys))]) + ":" + randomValue(r, depth + 1) + (n > 1 ? "," : "");
        return o + "}";
    }
    }
}

} // namespace

class TestJsonTape : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsAsQtReads()
    {
        SeededRandom r(11);
        int taken = 0;
        for (int i = 0; i < 4000; ++i) {
            const QByteArray text = "{\"root\":" + randomValue(r, 0) + "}";
            QJsonParseError error{};
            const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
            JsonTape tape;
            if (!tape.parse(text))
                continue;
            ++taken;
            QVERIFY2(error.error == QJsonParseError::NoError, text.constData());
            QString why;
            QVERIFY2(same(tape, JsonTape::root(), doc.object(), &why),
                     qPrintable(QString::fromUtf8(text) + u"\n"_s + why));
        }
        QVERIFY(taken > 3000); // the usual texts do not fall back
    }

    // Damaged texts: whatever Qt refuses, the tape refuses too.
    void refusesWhatQtRefuses()
    {
        SeededRandom r(12);
        static const char junk[] = {'"', '\\', '{', '}', '[', ']', ',', ':', '\x01', '\x80', '\xff', 'x', '-', '.',
                                    'e', ' ', '0', 'u'};
        int refusedByQt = 0;
        for (int i = 0; i < 6000; ++i) {
            QByteArray text = "{\"root\":" + randomValue(r, 0) + "}";
            for (auto m = 1 + r.below(2); m > 0; --m) {
                const auto at = qsizetype(r.below(std::uint64_t(text.size())));
                switch (r.below(3)) {
                case 0: text.remove(at, 1); break;
                case 1: text.insert(at, junk[r.below(sizeof junk)]); break;
                default: text[at] = junk[r.below(sizeof junk)]; break;
                }
            }
            QJsonParseError error{};
            const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
            JsonTape tape;
            const bool taken = tape.parse(text);
            if (error.error != QJsonParseError::NoError) {
                ++refusedByQt;
                QVERIFY2(!taken, text.toPercentEncoding().constData());
            } else if (taken && doc.isObject()) {
                QString why;
                QVERIFY2(same(tape, JsonTape::root(), doc.object(), &why), qPrintable(why));
            }
        }
        QVERIFY(refusedByQt > 1000);
    }

    void lastOfRepeatedKeysAndEscapedKeys()
    {
        JsonTape tape;
        QVERIFY(tape.parse(R"({"a":1,"k\u0065y":"v","a":2})"));
        QCOMPARE(tape.toInt(tape.value(JsonTape::root(), "a"_L1), 0),
                 QJsonDocument::fromJson(R"({"a":1,"a":2})").object().value(u"a"_s).toInt());
        QCOMPARE(tape.string(tape.value(JsonTape::root(), "key"_L1)), u"v"_s);
        QCOMPARE(tape.value(JsonTape::root(), "missing"_L1), -1);
        QCOMPARE(tape.string(-1), QString());
        QCOMPARE(tape.number(-1, 1.5), 1.5);
    }

    void fallsBackOnWhatItLeavesToQt()
    {
        JsonTape tape;
        QVERIFY(!tape.parse(R"({"a":"\ud800"})")); // unpaired surrogate escape
        QVERIFY(!tape.parse("{\"a\":\"\xed\xa0\x80\"}")); // encoded surrogate
        QVERIFY(!tape.parse(R"({"a":-0})"));
        QVERIFY(!tape.parse(R"({"a":1e400})"));
        QVERIFY(!tape.parse(R"({"a":1} x)"));
        QByteArray deep(100, '[');
        deep += QByteArray(100, ']');
        QVERIFY(!tape.parse(deep));
    }
};

QTEST_GUILESS_MAIN(TestJsonTape)
#include "TestJsonTape.moc"
