#include "util/LargeArray.h"

#include <QTest>

#include <cstdint>

using namespace anthology;

namespace {

LargeArray<double> counting(std::size_t n)
{
    LargeArray<double> a(n);
    for (std::size_t i = 0; i < n; ++i)
        a[i] = double(i);
    return a;
}

bool isCounting(const LargeArray<double> &a, std::size_t n)
{
    if (a.size() != n)
        return false;
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != double(i))
            return false;
    return true;
}

} // namespace

class TestLargeArray : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Both kinds of memory: malloc below 2 MiB, a huge-page mapping from 2 MiB up (3 MiB + 8
    // bytes is not a whole number of huge pages, so the rounding of its length is exercised).
    void holdsWhatIsWrittenCopiesAndMoves_data()
    {
        QTest::addColumn<qulonglong>("count");
        QTest::newRow("empty") << 0ull;
        QTest::newRow("small") << 1000ull;
        QTest::newRow("just below 2 MiB") << qulonglong((2 << 20) / 8 - 1);
        QTest::newRow("2 MiB") << qulonglong((2 << 20) / 8);
        QTest::newRow("3 MiB and a bit") << qulonglong((3 << 20) / 8 + 1);
    }

    void holdsWhatIsWrittenCopiesAndMoves()
    {
        QFETCH(qulonglong, count);
        const auto n = std::size_t(count);
        LargeArray<double> a = counting(n);
        QVERIFY(isCounting(a, n));
        LargeArray<double> copy(a);
        QVERIFY(isCounting(copy, n));
        QVERIFY(n == 0 || copy.data() != a.data());
        LargeArray<double> moved(std::move(a));
        QVERIFY(isCounting(moved, n));
        QCOMPARE(a.size(), std::size_t(0));
        QVERIFY(a.data() == nullptr);
        LargeArray<double> assigned(7);
        assigned = copy;
        QVERIFY(isCounting(assigned, n));
        assigned = LargeArray<double>(3);
        QCOMPARE(assigned.size(), std::size_t(3));
    }

#ifdef __linux__
    // The kernel can back a range with a huge page only where a whole aligned 2 MiB lies in it.
    void largeArraysStartOnAHugePageBoundary()
    {
        const LargeArray<double> a((2 << 20) / 8);
        QCOMPARE(reinterpret_cast<std::uintptr_t>(a.data()) % (std::uintptr_t(2) << 20), std::uintptr_t(0));
    }
#endif
};

QTEST_GUILESS_MAIN(TestLargeArray)
#include "TestLargeArray.moc"
