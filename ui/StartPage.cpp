#include "StartPage.h"

#include "RecentFiles.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

QToolButton *actionButton(QAction *action, const char *name, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(QString::fromLatin1(name));
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setMinimumWidth(180);
    button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    return button;
}

} // namespace

StartPage::StartPage(QAction *newProject, QAction *openProject, RecentFiles *recent, QWidget *parent)
    : QWidget(parent), m_recent(recent), m_recentList(new QListWidget(this)),
      m_example(new QPushButton(tr("Open &Example Project"), this))
{
    setObjectName(u"startPage"_s);
    auto *title = new QLabel(tr("<h2>Anthology Workbench</h2><p>Virtual survey respondents from LLM-written "
                                "backstories, measured against real people.</p>"),
                             this);
    title->setTextFormat(Qt::RichText);
    title->setWordWrap(true);

    m_example->setObjectName(u"openExampleButton"_s);
    m_example->setToolTip(tr("A project with a dozen hand-written backstories to try the workbench on"));
    auto *actions = new QVBoxLayout;
    actions->addWidget(actionButton(newProject, "newProjectButton", this));
    actions->addWidget(actionButton(openProject, "openProjectButton", this));
    actions->addWidget(m_example);
    actions->addStretch(1);
    auto *cli =
        new QLabel(tr("<p>From a terminal:<br><code>anthology project init FILE --example</code></p>"), this);
    cli->setObjectName(u"startCliHint"_s);
    cli->setTextFormat(Qt::RichText);
    cli->setTextInteractionFlags(Qt::TextSelectableByMouse);
    actions->addWidget(cli);

    m_recentList->setObjectName(u"recentProjectList"_s);
    m_recentList->setAlternatingRowColors(true);
    auto *recentBox = new QVBoxLayout;
    auto *recentTitle = new QLabel(tr("<b>Recent projects</b>"), this);
    recentBox->addWidget(recentTitle);
    recentBox->addWidget(m_recentList, 1);

    auto *columns = new QHBoxLayout;
    columns->addLayout(actions);
    columns->addSpacing(24);
    columns->addLayout(recentBox, 1);

    auto *inner = new QWidget(this);
    inner->setMaximumWidth(900);
    auto *innerLayout = new QVBoxLayout(inner);
    innerLayout->addWidget(title);
    innerLayout->addSpacing(12);
    innerLayout->addLayout(columns, 1);
    auto *layout = new QHBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(inner, 4);
    layout->addStretch(1);

    connect(m_example, &QPushButton::clicked, this, &StartPage::exampleRequested);
    connect(m_recentList, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { Q_EMIT recentRequested(item->data(Qt::UserRole).toString()); });
    connect(m_recent, &RecentFiles::changed, this, &StartPage::rebuildRecent);
    rebuildRecent();
}

void StartPage::rebuildRecent()
{
    m_recentList->clear();
    const QStringList files = m_recent->files();
    for (const QString &path : files) {
        const QFileInfo info(path);
        auto *item = new QListWidgetItem(
            u"%1\n%2"_s.arg(info.fileName(), QDir::toNativeSeparators(info.absolutePath())), m_recentList);
        item->setData(Qt::UserRole, path);
        item->setToolTip(QDir::toNativeSeparators(path));
        if (!info.exists())
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
    }
    if (files.isEmpty()) {
        auto *none = new QListWidgetItem(tr("No recent projects yet."), m_recentList);
        none->setFlags(Qt::NoItemFlags);
    }
}

} // namespace anthology::ui
