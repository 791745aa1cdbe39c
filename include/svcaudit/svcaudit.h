/* svcaudit: the public API in one include. A library for mystery shopping and
 * 6S service audits under PDCA; the svcaudit CLI is one program that uses it. */
#ifndef SVCAUDIT_H
#define SVCAUDIT_H

#define SVA_VERSION "0.1.0"

#include "svcaudit/analysis.h"
#include "svcaudit/answers.h"
#include "svcaudit/audit.h"
#include "svcaudit/checklist.h"
#include "svcaudit/db.h"
#include "svcaudit/error.h"
#include "svcaudit/export.h"
#include "svcaudit/facts.h"
#include "svcaudit/i18n.h"
#include "svcaudit/file.h"
#include "svcaudit/import.h"
#include "svcaudit/pdca.h"
#include "svcaudit/pdf.h"
#include "svcaudit/plan.h"
#include "svcaudit/report.h"
#include "svcaudit/score.h"
#include "svcaudit/stats.h"
#include "svcaudit/sync.h"
#include "svcaudit/trend.h"

#endif
