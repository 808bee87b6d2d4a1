#pragma once

#include <QAbstractButton>
#include <QApplication>
#include <QMessageBox>
#include <QObject>
#include <QTimer>

namespace anthology::test {

// Answers the next modal message box with one of its buttons as soon as it shows, the way a
// user would click it; counts the boxes it answered and keeps the last one's text.
class DialogAnswerer : public QObject
{
public:
    DialogAnswerer()
    {
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this]() {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            m_timer.stop();
            ++answered;
            text = box->text();
            box->button(m_button)->click();
        });
    }

    void answerWith(QMessageBox::StandardButton button)
    {
        m_button = button;
        m_timer.start();
    }
    void stop() { m_timer.stop(); }

    int answered = 0;
    QString text;

private:
    QTimer m_timer;
    QMessageBox::StandardButton m_button = QMessageBox::Cancel;
};

} // namespace anthology::test
