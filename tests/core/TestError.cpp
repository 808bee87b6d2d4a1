#include "util/Error.h"
#include "util/Result.h"

#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

class TestError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void toStringNamesWhereAndWhat_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");
        QTest::newRow("message only") << QString() << 0 << 0 << QString() << u"boom"_s;
        QTest::newRow("file") << u"a.csv"_s << 0 << 0 << QString() << u"a.csv: boom"_s;
        QTest::newRow("file line") << u"a.csv"_s << 3 << 0 << QString() << u"a.csv:3: boom"_s;
        QTest::newRow("file line column key") << u"c.yaml"_s << 3 << 7 << u"llm_parameters.temperature"_s
                                              << u"c.yaml:3:7: llm_parameters.temperature: boom"_s;
    }

    void toStringNamesWhereAndWhat()
    {
        QFETCH(QString, file);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, key);
        QFETCH(QString, expected);
        Error e = Error::at(file, line, column, u"boom"_s);
        e.key = key;
        QCOMPARE(e.toString(), expected);
    }

    void resultCarriesValueOrError()
    {
        Result<int> good(5);
        QVERIFY(good.ok());
        QCOMPARE(*good, 5);
        Result<int> bad(Error::user(u"no"_s));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().message, u"no"_s);
        QCOMPARE(bad.error().kind, Error::Kind::User);
        Status s = Error::internal(u"x"_s);
        QVERIFY(!s.ok());
        QVERIFY(Status::success().ok());
    }
};

QTEST_GUILESS_MAIN(TestError)
#include "TestError.moc"
