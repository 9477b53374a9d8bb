"""Load the 2014 campaign of 冀研发【2014】1号 and its standard, version 1 (试行).

The indicator texts are those of the notice's 三、建设标准, character for character
(only the leading "1." numbering is dropped). The notice's 量化评价细则 (point values)
was never published with it, so this version gives 5 points to each of the 20
indicators, 100 in all, names at 85 points with no category under 60% of its maximum,
and adds scoring guidance and expected evidence the provincial office may revise by
publishing a new version. The data live here, not in app code, so that this migration
keeps loading the same content whatever the app becomes.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import migrations

DOC_NUMBER = "冀研发【2014】1号"

CAMPAIGN = {
    "name": "河北省人文关怀心理疏导示范点创建活动",
    "doc_number": DOC_NUMBER,
    "issuer": "河北省思想政治工作研究会",
    "description": (
        "河北省思想政治工作研究会2014年3月14日转发中共河北省委宣传部《关于开展河北省人文关怀心理疏导"
        "示范点创建活动的通知》（2014年3月13日）。创建范围为河北省境内所有企业、学校、农村、机关、社区等"
        "基层单位；实施步骤为对标创建、自查申报、复核命名，随时登记备案，不搞集中申报。"
    ),
    "start_date": datetime.date(2014, 3, 13),
    "end_date": None,
    "status": "active",
}

VERSION = {
    "number": 1,
    "label": "试行",
    "status": "published",
    "threshold_total": Decimal("85"),
    "category_min_ratio": Decimal("0.60"),
    "notes": (
        "依据《关于开展河北省人文关怀心理疏导示范点创建活动的通知》三、建设标准制定。"
        "《河北省人文关怀心理疏导示范点建设标准量化评价细则》（试行）的分值未随通知公布，本版本暂按"
        "每项指标5分、满分100分设置；总分达到85分且每一类别得分不低于该类别满分的60%，方可予以命名。"
        "各项指标按0.5分计分，未得满分的须说明扣分理由。"
    ),
    # The day the 研究会 forwarded the notice, 8:00 in Hebei.
    "published_at": datetime.datetime(2014, 3, 14, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
}

FIVE = Decimal("5")

# (code, name, [(indicator text, scoring guidance, expected evidence), ...])
STANDARD = [
    (
        "一",
        "组织管理工作",
        [
            (
                "本地区（组织）领导重视，对新形势下人文关怀心理疏导工作的重要作用与地位有充分认识。",
                "主要负责同志亲自部署，年内党委（党组）或领导班子专题研究人文关怀心理疏导工作不少于2次，"
                "并在年度工作部署中提出明确要求，得5分；分管领导负责、年内专题研究1次，得3分；"
                "仅在会议或文件中一般性提及、无专题研究，得1分；无相关记录，不得分。",
                "党委（党组）会议、办公会议纪要或记录；领导讲话、批示；专题研究工作的会议材料。",
            ),
            (
                "积极探索一套适应时代要求、符合本地区（组织）实际的行之有效的工作机制、途径与方式、方法。",
                "形成成文的工作机制（如谈心谈话、心理预警、危机干预、转介等制度），途径与方法符合本地区（组织）"
                "实际并经实践检验有效，得5分；有制度但不够系统或实效一般，得3分；仅有零散做法、未形成制度，"
                "得1分；无，不得分。",
                "工作制度、流程文件汇编；特色做法总结或典型案例；制度执行记录。",
            ),
            (
                "建立相应的工作机构，并依托本地区（组织）整个工作系统形成合力。",
                "成立由主要负责同志牵头的领导小组和专门工作机构，职责分工明确，工会、共青团、妇联、人事等部门"
                "协同配合、形成合力，得5分；有工作机构但协同机制不健全，得3分；仅明确牵头部门或责任人，得1分；"
                "无工作机构，不得分。",
                "成立领导小组或工作机构的文件；职责分工文件；部门协同开展工作的记录。",
            ),
            (
                "制定近期和远期工作规划，并纳入本地区（组织）的总体工作规划中。",
                "制定近期（1年）和远期（3至5年）工作规划，并写入本地区（组织）总体工作规划或年度工作要点，"
                "得5分；有规划但未纳入总体规划，得3分；仅有近期工作安排，得1分；无规划，不得分。",
                "人文关怀心理疏导工作规划文本；本地区（组织）总体工作规划或年度工作要点中的相关内容。",
            ),
            (
                "有年度工作计划、总结，并建立内部考核与评估机制。",
                "年度工作计划和总结齐全，建立内部考核与评估机制并将考核结果用于改进工作，得5分；"
                "计划、总结齐全但无考核评估机制，得3分；计划或总结缺其一，得1分；均无，不得分。",
                "近两年的年度工作计划和工作总结；考核评估办法及考核结果记录。",
            ),
        ],
    ),
    (
        "二",
        "工作队伍建设",
        [
            (
                "配备符合要求的专（兼）职工作人员。",
                "按服务对象规模配备专职工作人员，并有取得心理咨询师等相关资质的兼职人员，得5分；"
                "仅有兼职人员且具备相关资质，得3分；有兼职人员但无相关资质，得1分；未配备，不得分。",
                "工作人员名册（含岗位、专兼职情况）；资格证书、聘任文件复印件。",
            ),
            (
                "建设以心理服务志愿者为主体的素质较高、专兼结合、专业互补、符合岗位要求的稳定的心理疏导工作队伍。",
                "建立以心理服务志愿者为主体、专兼结合、专业互补的工作队伍，人员稳定、有管理制度、能常态化开展"
                "服务，得5分；有志愿者队伍但规模小或管理不规范，得3分；仅有少量志愿者、未形成队伍，得1分；"
                "无，不得分。",
                "志愿者名册及资质情况；志愿者招募、培训、管理制度；志愿服务记录。",
            ),
            (
                "建设以思想政治工作干部为骨干的基层工作队伍。",
                "思想政治工作干部普遍参与人文关怀心理疏导工作，形成覆盖基层各部门（单位）的工作网络，得5分；"
                "部分基层部门（单位）有骨干人员，得3分；仅个别人员参与，得1分；无，不得分。",
                "基层工作队伍名单及分布情况；思想政治工作干部参与心理疏导工作的记录。",
            ),
            (
                "建立实施专兼职专业人员学习、培训、督导机制。",
                "建立并实施学习、培训、督导制度，专兼职专业人员每年参加培训不少于2次并有督导记录，得5分；"
                "有培训但无督导，得3分；培训不定期、无制度，得1分；无培训，不得分。",
                "学习、培训、督导制度；培训通知、签到表、课件及照片；督导记录。",
            ),
            (
                "重视工作队伍专业水平的提高，心理咨询和辅导人员定期进行业务研讨与交流。",
                "心理咨询和辅导人员每季度至少开展1次业务研讨、案例讨论或对外交流，得5分；每年开展1至3次，"
                "得3分；偶有开展但无记录，得1分；未开展，不得分。",
                "业务研讨、案例讨论记录（隐去来访者个人信息）；参加外部交流活动的通知或证明材料。",
            ),
        ],
    ),
    (
        "三",
        "工作保障条件",
        [
            (
                "有满足工作需要的专项经费。",
                "专项经费列入年度预算，足额到位并专款专用，得5分；有专项经费但未列入预算或不能足额保障，得3分；"
                "仅临时安排少量经费，得1分；无经费，不得分。",
                "年度预算文件或经费拨付凭证；经费使用明细。",
            ),
            (
                "有符合专业设置、保证工作需要的个体咨询、团体咨询、办公、会议及等候等不同用途的工作场地。",
                "个体咨询室、团体咨询室、办公室、会议室和等候区等功能齐全，布置符合专业要求，能保护来访者隐私，"
                "得5分；有个体咨询室和部分其他场地，得3分；仅有临时或共用场地，得1分；无固定场地，不得分。",
                "场地平面图及照片；场地使用管理制度。",
            ),
            (
                "配备满足开展工作需要的仪器、设备、设施和配套软件。",
                "配备心理测评软件、放松减压设备（如音乐放松椅、宣泄设备、沙盘等）及配套设施，满足工作需要并"
                "正常使用，得5分；配备部分设备，得3分；仅有基本办公设备，得1分；无，不得分。",
                "仪器设备和软件清单及购置凭证；设备使用记录；照片。",
            ),
            (
                "有满足工作需要的图书、期刊、音像制品等资料。",
                "心理健康类图书、期刊、音像制品等资料种类丰富、定期更新并向服务对象开放借阅，得5分；"
                "有一定数量资料但更新不及时，得3分；资料很少，得1分；无，不得分。",
                "资料目录清单；订阅或购置凭证；借阅登记记录。",
            ),
            (
                "配备必要的通讯设施、网络设施。",
                "设有心理服务热线电话，并通过网站、微博、微信等网络平台提供咨询或宣传服务，得5分；"
                "有热线电话或网络平台其中之一，得3分；仅有普通办公电话，得1分；无，不得分。",
                "热线电话号码及值班记录；网络平台地址、页面截图及运行记录。",
            ),
        ],
    ),
    (
        "四",
        "基层服务工作",
        [
            (
                "针对广大群众的心理需求，开展面对企业、学校、农村、机关、社区基层群众的个性化专业服务。",
                "针对群众心理需求开展心理测评、个体咨询等个性化专业服务，服务记录完整、服务对象满意度高，"
                "得5分；开展服务但记录不完整，得3分；服务次数很少，得1分；未开展，不得分。",
                "心理测评汇总报告；个体咨询登记和记录（隐去来访者个人信息）；满意度调查结果。",
            ),
            (
                "针对企业、学校、农村、机关、社区基层群众的不同心理特点，开展对接不同群体的、富有针对性的分众化服务。",
                "针对不同群体（如新入职人员、困难职工、留守儿童、空巢老人等）的心理特点制定方案，开展有针对性的"
                "分众化服务且成效明显，得5分；仅面向一两类群体开展，得3分；服务缺乏针对性，得1分；未开展，"
                "不得分。",
                "分众化服务方案；活动记录及照片；服务对象反馈意见。",
            ),
            (
                "注重运用人文关怀和心理疏导的工作方法，卓有成效地推进本地区（组织）中心工作开展。",
                "运用人文关怀和心理疏导的方法，在化解矛盾、稳定队伍、促进改革发展等中心工作中成效显著并有典型"
                "案例，得5分；有一定成效，得3分；成效不明显，得1分；无，不得分。",
                "典型案例材料；相关工作成效的统计数据或上级评价、表彰。",
            ),
            (
                "组织开展多种形式、内容丰富的心理疏导活动，为群众提供心理服务，彰显人文关怀。",
                "年内组织心理健康讲座、团体辅导、心理健康宣传周（月）等活动不少于6次，形式多样、群众参与面广，"
                "得5分；3至5次，得3分；1至2次，得1分；未开展，不得分。",
                "活动方案、通知；签到表、照片、宣传报道。",
            ),
            (
                "整合资源、协同合作，在应对与预防个体心理危机、公共心理卫生事件或群体事件时有效发挥作用。",
                "建立心理危机预防与干预预案和转介机制，与医疗卫生等专业机构协同合作，在应对与预防个体心理危机、"
                "公共心理卫生事件或群体事件中有效发挥作用，得5分；有预案和转介机制但未经实践检验，得3分；"
                "仅有初步措施，得1分；无，不得分。",
                "心理危机干预预案、转介机制文件及合作协议；危机干预处置记录（隐去个人信息）；演练记录。",
            ),
        ],
    ),
]


def load_campaign(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    StandardVersion = apps.get_model("campaigns", "StandardVersion")
    Category = apps.get_model("campaigns", "Category")
    Indicator = apps.get_model("campaigns", "Indicator")
    campaign = Campaign.objects.create(**CAMPAIGN)
    version = StandardVersion.objects.create(campaign=campaign, **VERSION)
    for category_order, (code, name, indicators) in enumerate(STANDARD, start=1):
        category = Category.objects.create(version=version, order=category_order, code=code, name=name)
        Indicator.objects.bulk_create(
            Indicator(category=category, order=order, text=text, max_score=FIVE, guidance=guidance, evidence=evidence)
            for order, (text, guidance, evidence) in enumerate(indicators, start=1)
        )


def unload_campaign(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    StandardVersion = apps.get_model("campaigns", "StandardVersion")
    for campaign in Campaign.objects.filter(doc_number=DOC_NUMBER):
        # Versions protect their campaign; deleting them first cascades to their content.
        StandardVersion.objects.filter(campaign=campaign).delete()
        campaign.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_create_campaign_and_standard_models"),
    ]

    operations = [
        migrations.RunPython(load_campaign, unload_campaign),
    ]
