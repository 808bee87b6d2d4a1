#pragma once

#include <QByteArrayView>
#include <QString>

namespace anthology {

// A 1-based line and column (in characters) inside a text file, for error messages.
struct TextPosition
{
    int line = 1;
    int column = 1;

    // Where byte `offset` of `bytes` lies; a '\n' starts a line.
    static TextPosition inBytes(QByteArrayView bytes, qint64 offset);
    // The same for a file on disk; reads it up to `offset`. Used on error paths only, so the
    // readers need not track lines and columns for every byte they parse.
    static TextPosition inFile(const QString &path, qint64 offset);
};

// Index of the first byte of `bytes` that is not well-formed UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF included) or is a NUL, or -1 if all is well.
qsizetype firstInvalidUtf8(QByteArrayView bytes);

} // namespace anthology
