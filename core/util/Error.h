#pragma once

#include <QString>

namespace anthology {

// A user-facing error: what went wrong and where (file, line, column, key) when known.
struct Error
{
    enum class Kind {
        User,     // bad input, bad file, bad config: exit status 1
        Internal, // a bug or an environment failure: exit status 2
    };

    QString message;
    Kind kind = Kind::User;
    QString file;
    int line = 0;   // 1-based, 0 when unknown
    int column = 0; // 1-based, 0 when unknown
    QString key;    // config key or field name, when relevant

    static Error user(QString message) { return Error{std::move(message), Kind::User, {}, 0, 0, {}}; }
    static Error internal(QString message) { return Error{std::move(message), Kind::Internal, {}, 0, 0, {}}; }
    static Error at(QString file, int line, int column, QString message)
    {
        return Error{std::move(message), Kind::User, std::move(file), line, column, {}};
    }

    Error &withKey(QString k)
    {
        key = std::move(k);
        return *this;
    }
    Error &withFile(QString f)
    {
        file = std::move(f);
        return *this;
    }

    // "file:line:column: key: message", omitting the parts that are unknown.
    QString toString() const;
};

} // namespace anthology
