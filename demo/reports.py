"""Demo progress reports: the province set a monthly schedule from last month; 石家庄市's
association has submitted last month's report and is writing this month's, so that both
sides of 进展报告 show something at once."""

import datetime

from django.utils import timezone

from accounts.models import User
from campaigns.selectors import current_campaign
from reports import selectors, services
from reports.models import Frequency, ProgressReport, ReportingSchedule


def seed_demo_reports() -> None:
    """Idempotent: does nothing once any progress report exists."""
    campaign = current_campaign()
    author = User.objects.filter(username="sjz_assoc").first()
    if campaign is None or author is None or ProgressReport.objects.exists():
        return
    admin = User.objects.filter(username="sheng_admin").first()
    if admin is not None and not ReportingSchedule.objects.filter(campaign=campaign).exists():
        last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        services.save_schedule(
            actor=admin, campaign=campaign, starts_on=last_month, frequency=Frequency.MONTHLY, grace_days=10
        )
    periods = selectors.periods_of(campaign, timezone.localdate())
    if len(periods) < 2:
        return
    current, previous = periods[0], periods[1]
    report = services.save_report(
        actor=author,
        campaign=campaign,
        period=previous,
        narrative="本月召开全市创建工作推进会，走访指导 12 家基层单位修改完善创建计划；组织心理疏导骨干培训 2 期，培训 160 人次。",
        practices="长安区推行“企业 + 社区”结对帮扶，由已命名示范点带动周边单位开展创建。",
        problems="部分农村单位缺少专业心理咨询人员，下一步协调市心理卫生协会开展志愿服务。",
    )
    services.submit_report(actor=author, report=report)
    services.save_report(
        actor=author, campaign=campaign, period=current, narrative="（草稿）本月已完成 3 家单位的自查指导。"
    )
