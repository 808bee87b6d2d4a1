#pragma once

// Byte-exact comparison for prompt texts: on a difference, say where the first differing
// byte is (offset, line, column) and show both sides around it with escapes visible.

#include "TestPaths.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTest>

namespace prompt_golden {

inline QByteArray escaped(const QByteArray &bytes)
{
    QByteArray out;
    for (char c : bytes) {
        if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\r')
            out += "\\r";
        else
            out += c;
    }
    return out;
}

// Empty when equal.
inline QByteArray firstDifference(const QByteArray &expected, const QByteArray &actual)
{
    if (expected == actual)
        return {};
    qsizetype i = 0;
    while (i < expected.size() && i < actual.size() && expected.at(i) == actual.at(i))
        ++i;
    const int line = int(expected.left(i).count('\n')) + 1;
    const int column = int(i - (expected.lastIndexOf('\n', i - 1) + 1)) + 1;
    const qsizetype from = qMax<qsizetype>(0, i - 30);
    return "first difference at byte " + QByteArray::number(i) + " (line " + QByteArray::number(line) +
           ", column " + QByteArray::number(column) + "); expected size " +
           QByteArray::number(expected.size()) + ", actual size " + QByteArray::number(actual.size()) +
           "\n   expected: ..." + escaped(expected.mid(from, 70)) + "\n   actual:   ..." +
           escaped(actual.mid(from, 70));
}

inline QByteArray readGolden(const QString &name)
{
    QFile f(QStringLiteral(ANTHOLOGY_TEST_DATA_DIR "/golden/prompt/") + name);
    if (!f.open(QIODevice::ReadOnly))
        return "<missing golden file " + name.toUtf8() + ">";
    return f.readAll();
}

} // namespace prompt_golden

#define COMPARE_BYTES(actual, expected)                                                                      \
    do {                                                                                                     \
        const QByteArray diff_ = prompt_golden::firstDifference((expected), (actual));                       \
        if (!diff_.isEmpty())                                                                                \
            QFAIL(diff_.constData());                                                                        \
    } while (false)

#define COMPARE_GOLDEN(actualBytes, goldenName)                                                              \
    COMPARE_BYTES((actualBytes), prompt_golden::readGolden(goldenName))
