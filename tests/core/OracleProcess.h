#pragma once

// Runs an independent implementation (python3 with SciPy/numpy, pspp) as a real subprocess for
// the oracle tests. Header-only so each test executable stays self-contained.

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace anthology::oracle {

struct Outcome
{
    bool ok = false;
    QByteArray out;
    QByteArray err;
};

inline Outcome run(const QString &program, const QStringList &args, const QByteArray &input = {},
                   int timeoutMs = 120000)
{
    QProcess p;
    p.start(program, args);
    Outcome o;
    if (!p.waitForStarted(30000)) {
        o.err = p.errorString().toUtf8();
        return o;
    }
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        o.err = "timed out";
        return o;
    }
    o.out = p.readAllStandardOutput();
    o.err = p.readAllStandardError();
    o.ok = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    return o;
}

// The system interpreter, where Debian's python3-scipy and python3-numpy live; a python3 earlier
// on PATH (pyenv, venv) may lack them.
inline QString pythonProgram()
{
    return QFile::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3")
                                                             : QStringLiteral("python3");
}

// python3 -c script, data on stdin.
inline Outcome python(const QByteArray &script, const QByteArray &input = {})
{
    return run(pythonProgram(), {QStringLiteral("-c"), QString::fromUtf8(script)}, input);
}

// Whitespace-separated doubles ("nan" allowed).
inline QList<double> numbers(const QByteArray &text)
{
    QList<double> out;
    for (const QByteArray &tok : text.simplified().split(' ')) {
        if (tok.isEmpty())
            continue;
        bool ok = false;
        const double v = tok == "nan" ? qQNaN() : tok.toDouble(&ok);
        out.append(tok == "nan" || ok ? v : qQNaN());
    }
    return out;
}

inline QByteArray formatted(double v)
{
    return QByteArray::number(v, 'g', 17);
}

// |a - b| <= tol * max(1, |b|): relative for large values, absolute near 0.
inline bool close(double a, double b, double tol = 1e-9)
{
    if (qIsNaN(a) || qIsNaN(b))
        return qIsNaN(a) && qIsNaN(b);
    return std::abs(a - b) <= tol * std::max(1.0, std::abs(b));
}

} // namespace anthology::oracle
