#include "util/CompactJsonWriter.h"
#include "util/SeededRandom.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>

using namespace anthology;

namespace {

// The oracle is QJsonDocument: a number written alone in an array must come out as Qt writes it.
QByteArray qtWrites(double v)
{
    return QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
}

QByteArray written(double v)
{
    CompactJsonWriter w;
    w.beginArray().number(v).endArray();
    return w.take();
}

double fromBits(std::uint64_t bits)
{
    double v = 0;
    std::memcpy(&v, &bits, sizeof v);
    return v;
}

} // namespace

class TestCompactJsonWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Where Qt switches between the decimal and the exponent form, and the values around it.
    void numbersAtTheFormBoundariesAreQts()
    {
        for (int e = -330; e <= 310; ++e) {
            for (double mantissa : {1.0, 1.5, 9.999999, 1.2345678901234567, 7.0 / 3.0, 5e-324}) {
                for (double sign : {1.0, -1.0}) {
                    const double v = sign * mantissa * std::pow(10.0, double(e));
                    for (double x : {v, std::nextafter(v, 0.0), std::nextafter(v, HUGE_VAL)})
                        QCOMPARE(written(x), qtWrites(x));
                }
            }
        }
        for (double v : {0.0001, 0.00001, 0.001234, 0.00012345, 123456.5, 1e15 + 0.5, 9007199254740993.0,
                         18014398509481984.0, 1e16, 1e17, 1e20, 1e21, 1e22, 1.7976931348623157e308,
                         std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::min(), -0.0})
            QCOMPARE(written(v), qtWrites(v));
    }

    void randomNumbersAreQts()
    {
        SeededRandom r(11);
        for (int i = 0; i < 300000; ++i) {
            double v = 0;
            switch (r.below(4)) {
            case 0: v = fromBits(r.next()); break;                             // anything, NaN included
            case 1: v = std::log(r.uniform()); break;                          // logprobs
            case 2: v = r.uniform() * std::pow(10.0, double(r.below(40)) - 20); break;
            default: v = double(qint64(r.next() >> r.below(64))) / 1024.0; break;
            }
            QCOMPARE(written(v), qtWrites(v));
        }
    }

    void integersAndLiteralsAreQts()
    {
        CompactJsonWriter w(1); // grows from almost nothing
        w.beginObject().key("a").integer(std::numeric_limits<qint64>::min()).key("b").integer(0);
        w.key("c").boolean(true).key("d").boolean(false).key("e").null().key("f").beginArray();
        w.integer(-7).number(2.5).string(u"x").endArray().endObject();
        QCOMPARE(w.take(), QByteArray(R"({"a":-9223372036854775808,"b":0,"c":true,"d":false,"e":null,"f":[-7,2.5,"x"]})"));
    }

    // Strings as Qt writes them: long plain runs (copied eight units at a time) broken at every
    // offset by whatever needs an escape or more than one byte, and the edges of each class.
    void randomStringsAreQts()
    {
        const char16_t edges[] = {0x0, 0x1f, 0x20, u'"', u'\\', 0x7e, 0x7f, 0x80, 0x7ff, 0x800, 0x7fff,
                                  0x8000, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffe, 0xffff};
        SeededRandom r(5);
        for (int i = 0; i < 20000; ++i) {
            QString text;
            const int length = int(r.below(48));
            for (int k = 0; k < length; ++k) {
                if (r.below(6) != 0)
                    text += QChar(char16_t(u'a' + r.below(26))); // plain, mostly
                else if (r.below(2) == 0)
                    text += QChar(edges[r.below(std::size(edges))]);
                else
                    text += QChar(char16_t(r.below(0x10000))); // surrogates alone or by chance paired
            }
            CompactJsonWriter w(1);
            w.beginArray().string(text).endArray();
            QCOMPARE(w.take(), QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact));
        }
    }
};

QTEST_GUILESS_MAIN(TestCompactJsonWriter)
#include "TestCompactJsonWriter.moc"
