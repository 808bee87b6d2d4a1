#pragma once

#include "RunListModel.h"
#include "util/Result.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QThread;

namespace anthology::ui {

// Reads the runs list (every run and its item counts) on a thread of its own, with its own
// read-only connection: the grouped count reads every item of the project, which for a large
// live run costs tens of milliseconds the window's thread must not spend every refresh.
class RunListReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunListReader)

public:
    using Rows = Result<QList<RunListModel::Row>>;

    explicit RunListReader(QObject *parent = nullptr);
    ~RunListReader() override;

    // Reads the project at `path`; `done` runs on this object's thread with what was read,
    // unless another read() for another path came since. At most one read is under way: a
    // call meanwhile is dropped (the next refresh asks again).
    void read(const QString &path, std::function<void(Rows)> done);
    bool isReading() const { return m_reading; }

private:
    class Worker;
    std::unique_ptr<QThread> m_thread;
    Worker *m_worker; // lives on m_thread
    bool m_reading = false;
    QString m_path;
};

} // namespace anthology::ui
