#include "run/RunFailures.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

bool containsAny(const QString &text, std::initializer_list<QLatin1StringView> needles)
{
    return std::any_of(needles.begin(), needles.end(),
                       [&](QLatin1StringView n) { return text.contains(n, Qt::CaseInsensitive); });
}

} // namespace

QString FailureGroup::label() const
{
    switch (cause) {
    case FailureCause::HttpStatus:
        return u"HTTP %1"_s.arg(httpStatus);
    case FailureCause::Network:
        return u"network error"_s;
    case FailureCause::Timeout:
        return u"timeout"_s;
    case FailureCause::Parse:
        return u"unreadable answer"_s;
    case FailureCause::NotAsked:
        return u"not asked (earlier answer failed)"_s;
    case FailureCause::Other:
        break;
    }
    return u"other"_s;
}

// The text is the engine's: a final reason, often wrapped ("gave up after 21 attempts: ...",
// "... (last transient failure: ...)"). An HTTP status anywhere in it is the most specific
// fact, so it wins; then the transport words Qt and our own connection use.
FailureCause RunFailures::classify(const QString &error, int *httpStatus)
{
    if (error.startsWith(u"not asked:"_s))
        return FailureCause::NotAsked;
    static const QRegularExpression http(u"\\bHTTP (\\d{3})\\b"_s);
    if (const QRegularExpressionMatch m = http.match(error); m.hasMatch()) {
        if (httpStatus)
            *httpStatus = m.captured(1).toInt();
        return FailureCause::HttpStatus;
    }
    if (containsAny(error, {"no complete answer within"_L1, "timed out"_L1, "timeout"_L1, "deadline of"_L1,
                            "stall"_L1, "no bytes"_L1, "never answer"_L1}))
        return FailureCause::Timeout;
    if (containsAny(error, {"connection"_L1, "connect"_L1, "host"_L1, "resolve"_L1, "network"_L1,
                            "unreachable"_L1, "reset"_L1, "socket"_L1, "ssl"_L1, "tls"_L1, "proxy"_L1}))
        return FailureCause::Network;
    if (containsAny(error, {"unreadable"_L1, "json"_L1, "utf-8"_L1, "parse"_L1, "expected"_L1,
                            "content-type"_L1, "truncated"_L1}))
        return FailureCause::Parse;
    return FailureCause::Other;
}

Result<QList<FailureGroup>> RunFailures::of(const ProjectFile &project, qint64 runId)
{
    Statement s = project.prepare(
        "SELECT id, error FROM items WHERE run_id = ?1 AND state = 'failed' ORDER BY id");
    if (!s.ok())
        return s.error();
    s.bind(1, runId);
    QList<FailureGroup> groups;
    QHash<int, qsizetype> index; // cause * 1000 + status -> position in groups
    Status read = s.forEachRow([&](const Statement &row) {
        const QString error = row.columnText(1);
        int status = 0;
        const FailureCause cause = classify(error, &status);
        const int key = int(cause) * 1000 + status;
        qsizetype at = index.value(key, -1);
        if (at < 0) {
            at = groups.size();
            index.insert(key, at);
            FailureGroup g;
            g.cause = cause;
            g.httpStatus = status;
            groups.append(g);
        }
        FailureGroup &g = groups[at];
        ++g.count;
        g.latestItem = row.columnInt64(0);
        g.latestMessage = error;
    });
    if (!read)
        return read.error();
    std::stable_sort(groups.begin(), groups.end(),
                     [](const FailureGroup &a, const FailureGroup &b) { return a.count > b.count; });
    return groups;
}

QStringList RunFailures::describe(const QList<FailureGroup> &groups)
{
    QStringList lines;
    for (const FailureGroup &g : groups)
        lines.append(u"%1 %2 (latest: %3)"_s.arg(g.count).arg(g.label(), g.latestMessage));
    return lines;
}

} // namespace anthology
