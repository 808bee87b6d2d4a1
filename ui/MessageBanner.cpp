#include "MessageBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace anthology::ui {

MessageBanner::MessageBanner(QWidget *parent)
    : QWidget(parent), m_label(new QLabel(this)), m_close(new QToolButton(this))
{
    setObjectName(u"messageBanner"_s);
    setAttribute(Qt::WA_StyledBackground);
    m_label->setObjectName(u"messageText"_s);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close->setObjectName(u"messageClose"_s);
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Dismiss"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &MessageBanner::dismiss);
    hide();
}

void MessageBanner::showMessage(const QString &text, Level level)
{
    m_level = level;
    m_label->setText(text);
    QString colors;
    switch (level) {
    case Level::Information:
        colors = u"background:#e8f0fb; border:1px solid #9bb7e0;"_s;
        break;
    case Level::Positive:
        colors = u"background:#e6f4e6; border:1px solid #8cc28c;"_s;
        break;
    case Level::Warning:
        colors = u"background:#fdf4dc; border:1px solid #e0c36a;"_s;
        break;
    case Level::Error:
        colors = u"background:#fbe5e5; border:1px solid #dc8f8f;"_s;
        break;
    }
    setStyleSheet(u"#messageBanner {"_s + colors + u" border-radius:4px; } QLabel { color:#202020; }"_s);
    show();
}

QString MessageBanner::text() const
{
    return m_label->text();
}

void MessageBanner::dismiss()
{
    hide();
}

} // namespace anthology::ui
