#pragma once

#include <QWidget>

class QLabel;
class QToolButton;

namespace anthology::ui {

// An inline message above the content, as KeePassXC does: errors and confirmations are shown
// where the user is looking, without a modal box to dismiss.
class MessageBanner final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageBanner)

public:
    enum class Level { Information, Positive, Warning, Error };

    explicit MessageBanner(QWidget *parent = nullptr);

    void showMessage(const QString &text, Level level);
    QString text() const;
    Level level() const { return m_level; }

public Q_SLOTS:
    void dismiss();

private:
    QLabel *m_label;
    QToolButton *m_close;
    Level m_level = Level::Information;
};

} // namespace anthology::ui
