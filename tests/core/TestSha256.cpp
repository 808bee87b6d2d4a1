#include "util/SeededRandom.h"
#include "util/Sha256.h"

#include <QCryptographicHash>
#include <QTest>

using namespace anthology;

namespace {

QByteArray qtHex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray randomBytes(SeededRandom &r, qsizetype size)
{
    QByteArray out(size, Qt::Uninitialized);
    for (char &c : out)
        c = char(r.below(256));
    return out;
}

} // namespace

// The oracle is QCryptographicHash: request cache keys of existing projects were made with it.
class TestSha256 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownDigests()
    {
        QCOMPARE(Sha256::hex({}), QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(Sha256::hex({"abc"}), QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(Sha256::hex({"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"}),
                 QByteArray("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    }

    // Every length around the block and padding boundaries, split into parts anywhere.
    void everyLengthAndSplitIsQts()
    {
        qInfo("SHA extensions in use: %s", Sha256::hardwareAccelerated() ? "yes" : "no");
        SeededRandom r(7);
        for (qsizetype size = 0; size <= 300; ++size) {
            const QByteArray data = randomBytes(r, size);
            const qsizetype a = qsizetype(r.below(quint64(size) + 1));
            const qsizetype b = a + qsizetype(r.below(quint64(size - a) + 1));
            QCOMPARE(Sha256::hex({data}), qtHex(data));
            QCOMPARE(Sha256::hex({QByteArrayView(data).first(a), QByteArrayView(data).sliced(a, b - a),
                                  QByteArrayView(data).sliced(b)}),
                     qtHex(data));
        }
        for (int i = 0; i < 200; ++i) {
            const QByteArray data = randomBytes(r, qsizetype(r.below(20000)));
            const QByteArray scope = randomBytes(r, qsizetype(r.below(100)));
            QCOMPARE(Sha256::hex({data, "\n", scope}), qtHex(data + '\n' + scope));
        }
    }
};

QTEST_GUILESS_MAIN(TestSha256)
#include "TestSha256.moc"
