"""Every word a person reads for a value the API sends: statuses, steps, events,
reasons, kinds. One table, served as it is by `GET /labels`; the rules modules and
the views take their labels from here, and the mini-program keeps none of its own.

Wording: seed 002's screens for the filing ("备案成功", "个人承诺书", "代办人"),
seed 001 and the sign-up systems in `shared/domain.md` for the family doctor.
A test walks every enum of the spec and fails on a value without a label here.
"""

from __future__ import annotations

SCHEME = {"employee": "职工基本医疗保险", "resident": "城乡居民基本医疗保险"}
SITUATION = {"emergency": "急诊抢救", "referral": "转诊", "long_term": "异地长期居住", "other": "其他临时外出就医"}
SCOPE = {"in_province": "省内异地", "cross_province": "跨省异地"}
RELATION = {"parent": "父母", "child": "子女", "spouse": "配偶", "sibling": "兄弟姐妹",
            "grandparent": "祖父母/外祖父母", "grandchild": "孙子女/外孙子女", "other": "其他"}
SEX = {"male": "男", "female": "女"}
REGION_LEVEL = {"province": "省级", "city": "地级市"}
PARTNER_ROLE = {"settlement": "医保结算系统", "fd_team": "家庭医生团队", "police": "公安交通管理部门",
                "fund_manager": "道路交通事故社会救助基金管理机构", "hospital": "医疗机构",
                "wi_agency": "工伤保险经办机构"}
ACTOR_ROLE = {"self": "本人", "agent": "代办人", "partner": "合作机构", "system": "系统"}
# Until partner keys are tied to organisations, a partner's act names this.
PARTNER_ORGANISATION_UNKNOWN = "合作机构"
VIEWER_ROLE = {"insured": "参保人", "agent": "代办人", "resident": "签约居民", "partner": "合作机构"}
FOR_WHOM = {"self": "本人", "other": "他人", "member": "家庭成员"}
ACTION = {"submit": "提交", "cancel": "取消", "discard": "删除", "expire": "置为过期", "accept": "同意签约",
          "reject": "拒绝签约", "renew": "续约", "settle": "医保结算",
          # work-injury filing; rescue fund ("approve" is 审核通过 in both)
          "submit_for_approval": "提交审核", "approve": "审核通过", "decline": "审核不通过",
          "return": "退回补正", "resubmit": "重新提交", "withdraw": "撤回", "pay": "支付", "close": "结清"}

# --- out-of-area filing (seed 002) --------------------------------------------------
FILING_STATUS = {"draft": "草稿", "effective": "备案成功", "cancelled": "已取消", "expired": "已过期",
                 "discarded": "已删除"}
FILING_STEP = {"insured": "选择参保信息", "notice": "阅读备案告知书", "agent_declaration": "签署代办承诺书",
               "attachments": "上传证件照片", "details": "填写备案信息", "signature": "签署个人承诺书"}
FILING_STEP_SHORT = {"insured": "参保信息", "notice": "告知书", "agent_declaration": "代办承诺",
                     "attachments": "上传证件", "details": "备案信息", "signature": "签字确认"}
# What the mini-program offers when a filing is cancelled online; the reason is
# stored as the words chosen (or typed, for 其他原因).
FILING_CANCEL_REASON = {"returned_home": "已返回参保地居住", "trip_cancelled": "行程取消，不再外出就医",
                        "destination_changed": "就医地变更，需重新备案", "details_wrong": "备案信息有误，需重新备案",
                        "other": "其他原因"}
FILING_CATEGORY = {"long_term": "异地长期居住人员", "temporary": "临时外出就医人员"}
FILING_PERSON_TYPE = {
    "retired_resettled": "异地安置退休人员",
    "long_term_resident": "异地长期居住人员",
    "stationed_worker": "常驻异地工作人员",
    "referral": "异地转诊就医人员",
    "emergency": "异地急诊抢救人员",
    "other_temporary": "非急诊且未转诊的其他临时外出就医人员",
}
ATTACHMENT_KIND = {"agent_id_card": "代办人身份证", "agent_hukou": "代办人户口本",
                   "insured_id_card": "参保人身份证", "insured_hukou": "参保人户口本"}
FILING_EVENT = {
    "created": "开始办理", "insured": "选择参保信息", "notice": "阅读并同意备案告知书",
    "agent_declaration": "阅读并同意代办承诺书", "agent_declaration_signed": "签署代办承诺书",
    "attachment_uploaded": "上传证件照片", "attachment_deleted": "删除证件照片", "details": "填写备案信息",
    "signature": "签署个人承诺书", "submitted": "提交备案，备案成功", "discarded": "删除草稿",
    "cancelled": "取消备案", "settled": "医保结算", "expired": "备案到期",
    "purged": "草稿超过30天未办理，已自动删除",
    "photos_purged": "证件照片已按规定删除",
}

# --- family-doctor sign-up (seed 001) -----------------------------------------------
SIGNUP_STATUS = {"draft": "待提交", "pending": "待团队确认", "active": "已签约", "rejected": "未通过",
                 "cancelled": "已解约", "expired": "已到期"}
SIGNUP_STEP = {"packages": "选择团队和服务包", "agreement": "阅读签约服务协议", "signature": "签字确认"}
SIGNUP_STEP_SHORT = {"packages": "团队和服务包", "agreement": "签约协议", "signature": "签字"}
SIGNUP_CANCEL_REASON = {"moved_away": "迁出服务区域", "unreachable_one_year": "连续一年联系不上",
                        "refused_service_one_year": "连续一年拒绝服务", "own_wish": "本人申请解约",
                        "other": "其他原因"}
SIGNUP_EVENT = {
    "created": "选择团队和服务包", "agreement": "阅读并同意签约服务协议", "signature": "签字确认",
    "submitted": "提交签约申请", "accepted": "团队同意签约", "rejected": "团队未同意签约",
    "cancelled": "解约/撤回申请", "terminated_by_team": "团队解约", "renewed": "续约", "expired": "合同到期",
    "purged": "草稿超过30天未办理，已自动撤回",
    "health_consent_withdrawn": "撤回健康信息使用授权",
}
PACKAGE_KIND = {"basic": "基础服务包", "value_added": "增值服务包", "personalized": "个性化服务包"}
VALUE_ADDED_PART = {"outpatient": "普通门诊由门诊统筹支付70%，年度限额不低于420元",
                    "health_management": "慢病患者和“一老一小一孕”重点人群免费健康管理"}
HEALTH_TAG = {"pregnant": "孕产妇", "hypertension": "高血压", "diabetes": "糖尿病"}
KEY_GROUP = {"child": "0-6岁儿童", "elderly": "65岁及以上老人", **HEALTH_TAG}
TEAM_ROLE = {"general_practitioner": "全科医生", "public_health": "公共卫生医师/护士",
             "village_doctor": "乡村医生", "specialist": "上级医院专科医生"}
INSTITUTION_KIND = {"township_health_centre": "乡镇卫生院", "community_health_centre": "社区卫生服务中心"}

# --- work-injury cross-province filing (seed 001, shared/domain-work-injury.md) -------
WI_FILING_STATUS = {"draft": "草稿", "pending": "待参保地经办机构审核", "effective": "备案成功",
                    "rejected": "未通过", "cancelled": "已取消", "expired": "已过期", "discarded": "已删除"}
WI_FILING_STEP = {"injury": "选择工伤认定信息", "notice": "阅读工伤备案告知书", "attachments": "上传证件照片",
                  "details": "填写备案信息", "signature": "签署个人承诺书"}
WI_FILING_STEP_SHORT = {"injury": "工伤信息", "notice": "告知书", "attachments": "上传证件",
                        "details": "备案信息", "signature": "签字确认"}
WI_BASIS = {"injury_recognition": "工伤认定", "recurrence": "工伤复发确认", "rehabilitation": "工伤康复确认",
            "assistive_device": "辅助器具配置确认"}
WI_FILING_TYPE = {"residence": "异地居住", "referral": "转诊转院"}
WI_SERVICE = {"inpatient_medical": "住院工伤医疗费", "inpatient_rehab": "住院工伤康复费",
              "assistive_device": "辅助器具配置费"}
WI_KIND = {"work_injury": "工伤异地就医备案"}
WI_CATALOGUE = {"destination": "执行就医地目录", "insured_place": "执行参保地目录"}
WI_FILING_EVENT = {
    "created": "开始办理", "injury": "选择工伤认定信息", "notice": "阅读并同意工伤备案告知书",
    "attachment_uploaded": "上传证件照片", "attachment_deleted": "删除证件照片", "details": "填写备案信息",
    "signature": "签署个人承诺书", "submitted": "提交备案", "approved": "参保地经办机构审核通过，备案成功",
    "rejected": "参保地经办机构审核未通过", "discarded": "删除草稿", "cancelled": "取消备案",
    "cancelled_by_agency": "参保地经办机构取消备案", "settled": "工伤医疗费用直接结算", "expired": "备案到期",
    "purged": "草稿超过30天未办理，已自动删除", "photos_purged": "证件照片已按规定删除",
}
# --- road-accident rescue fund (seed 000; shared/domain-rescue-fund.md) ----------------
RESCUE_KIND = {"rescue": "抢救治疗费垫付", "funeral": "丧葬费垫付"}
RESCUE_STATUS = {"draft": "草稿", "submitted": "待审核", "returned": "待补正", "approved": "已核定",
                 "paid": "已垫付", "closed": "已结清", "rejected": "不予垫付", "withdrawn": "已撤回",
                 "discarded": "已删除"}
RESCUE_STEP = {"notice": "阅读救助基金告知书", "accident": "填写事故信息", "victim": "填写受害人信息",
               "hospital": "选择救治医院", "materials": "上传申请材料", "contact": "填写联系人",
               "signature": "签署垫付申请书"}
RESCUE_STEP_SHORT = {"notice": "告知", "accident": "事故", "victim": "受害人", "hospital": "医院",
                     "materials": "材料", "contact": "联系人", "signature": "签字"}
RESCUE_SITUATION = {"over_compulsory_limit": "抢救费用超过交强险医疗费用赔偿限额",
                    "uninsured_vehicle": "肇事机动车未参加交强险", "hit_and_run": "机动车肇事后逃逸",
                    "outside_compulsory_cover": "属于交强险责任范围以外的情形",
                    "insurer_unpaid_30_days": "保险公司自事故发生之日起30日内未支付"}
RESCUE_RELATION = {"self": "本人", **{k: v for k, v in RELATION.items() if k != "other"},
                   "other_relative": "其他近亲属", "other_party": "事故其他当事人"}
RESCUE_CONDITION = {"in_treatment": "治疗中", "discharged": "已出院", "deceased": "已死亡"}
RESCUE_PERIOD = {"within_7_days": "7日内", "beyond_7_days": "超过7日"}
RESCUE_MATERIAL = {"police_notice": "抢救费用垫付通知书", "victim_id_card": "受害人身份证明",
                   "victim_unidentified_certificate": "受害人身份无法确认的证明",
                   "relation_proof": "亲属关系证明（户口本）", "cost_list": "加盖公章的抢救治疗费日清单",
                   "treatment_summary": "抢救治疗情况简要说明", "medical_record": "病历",
                   "over_7_days_explanation": "超过7日抢救治疗的书面说明",
                   "body_handling_notice": "尸体处理通知书", "funeral_invoice": "丧葬费用票据"}
RESCUE_EVENT = {
    "created": "开始申请", "notice": "阅读并同意救助基金告知书", "accident": "填写事故信息",
    "victim": "填写受害人信息", "hospital": "选择救治医院", "contact": "填写联系人",
    "page_uploaded": "上传材料", "page_deleted": "删除材料", "signature": "签署垫付申请书",
    "submitted": "提交垫付申请", "discarded": "删除草稿", "returned": "退回补正", "resubmitted": "补正后重新提交",
    "approved": "核定垫付金额", "rejected": "不予垫付", "withdrawn": "撤回申请", "paid": "支付垫付款",
    "closed": "结清", "review_overdue": "审核超过时限", "payment_overdue": "支付超过时限",
    "due_recounted": "按国务院正式放假安排重新计算期限",
}
# Fields the fund manager may name when returning an application for correction.
RESCUE_FIELD = {"police_notice_no": "通知书编号", "police_unit": "交警部门", "accident_at": "事故发生时间",
                "accident_region": "事故发生地", "accident_place": "事故地点", "situation": "垫付情形",
                "victim_identified": "受害人身份是否确认", "victim_name": "受害人姓名",
                "victim_id_number": "受害人身份证号码", "relation": "与受害人关系", "victim_condition": "受害人状况",
                "hospital_id": "救治医院", "rescue_started_at": "开始抢救时间", "inpatient_no": "住院号",
                "period": "抢救治疗期间", "claimed_amount": "申请金额", "contact_name": "联系人",
                "contact_phone": "联系电话"}
RESCUE_FLAG = {"review_overdue": "审核已超期", "payment_overdue": "支付已超期"}

# --- the access log (PIPL art. 45): who looked at my data, who acted for me ----------
ACCESS_ACT = {"viewed_id_photo": "查看了您的证件照片", "viewed_signature": "查看了您的手写签名",
              "viewed_record": "查看了您的办理记录", "verified_certificate": "核验了您的备案凭证",
              "viewed_material_page": "查看了您上传的申请材料照片"}
# In what capacity someone looked: `insured` is the person a proxy filing is for,
# looking at the agent's papers.
ACCESS_ROLE = {"self": "本人", "agent": "代办人", "insured": "备案人", "partner": "合作机构",
               "public": "扫码核验", "system": "系统"}
RECORD_KIND = {"filing": "异地就医备案", "signup": "家庭医生签约", "wi_filing": "工伤异地就医备案",
               "rescue": "道交救助基金垫付申请"}
SIGNATURE_KIND = {"pledge": "个人承诺书签名", "agent_declaration": "代办承诺书签名"}
# An entry of `GET /me/access-log`: a look (above), or an act done for me, named
# `<record kind>.<history event>` and read as that event.
ACCESS_LOG_ACT = {**ACCESS_ACT, **{f"filing.{k}": v for k, v in FILING_EVENT.items()},
                  **{f"signup.{k}": v for k, v in SIGNUP_EVENT.items()},
                  **{f"wi_filing.{k}": v for k, v in WI_FILING_EVENT.items()},
                  **{f"rescue.{k}": v for k, v in RESCUE_EVENT.items()}}

# --- notifications (订阅消息): a template's title; its sentence is in domain/notifications.py
MESSAGE_TEMPLATE = {"filing_effective": "异地就医备案成功", "filing_made_by_agent": "代办人为您办理了备案",
                    "filing_cancelled": "异地就医备案已取消", "filing_expiring": "异地就医备案即将到期",
                    "signup_accepted": "家庭医生签约成功", "signup_rejected": "家庭医生签约未通过",
                    "signup_expiring": "家庭医生签约即将到期",
                    # work-injury filing
                    "wi_filing_pending": "工伤异地就医备案已提交，待审核", "wi_filing_effective": "工伤异地就医备案成功",
                    "wi_filing_rejected": "工伤异地就医备案未通过", "wi_filing_cancelled": "工伤异地就医备案已取消",
                    "wi_filing_made_by_agent": "代办人为您办理了工伤备案",
                    # rescue fund
                    "rescue_returned": "垫付申请需补正", "rescue_approved": "垫付申请已核定",
                    "rescue_paid": "救助基金已垫付"}
MESSAGE_STATE = {"pending": "待发送", "sent": "已发送", "failed": "发送失败"}
# The mini-program's 消息 page: its words, from here like every other.
MESSAGE_WORDS = {"entry": "消息", "title": "我的消息", "unread": "未读", "read": "已读", "empty": "暂无消息",
                 "mark_read": "标为已读"}

# What `GET /labels` serves: group name -> {value: label}.
TABLE: dict[str, dict[str, str]] = {
    "scheme": SCHEME, "situation": SITUATION, "scope": SCOPE, "relation": RELATION, "sex": SEX,
    "region.level": REGION_LEVEL, "partner.role": PARTNER_ROLE,
    "actor_role": ACTOR_ROLE, "viewer_role": VIEWER_ROLE, "for": FOR_WHOM, "action": ACTION,
    "filing.status": FILING_STATUS, "filing.step": FILING_STEP, "filing.step_short": FILING_STEP_SHORT,
    "filing.category": FILING_CATEGORY, "filing.person_type": FILING_PERSON_TYPE,
    "filing.event": FILING_EVENT, "filing.cancel_reason": FILING_CANCEL_REASON,
    "attachment.kind": ATTACHMENT_KIND,
    "signup.status": SIGNUP_STATUS, "signup.step": SIGNUP_STEP, "signup.step_short": SIGNUP_STEP_SHORT,
    "signup.cancel_reason": SIGNUP_CANCEL_REASON, "signup.event": SIGNUP_EVENT,
    "package.kind": PACKAGE_KIND, "value_added.part": VALUE_ADDED_PART, "health_tag": HEALTH_TAG,
    "key_group": KEY_GROUP, "team.role": TEAM_ROLE, "institution.kind": INSTITUTION_KIND,
    "access.act": ACCESS_LOG_ACT, "access.role": ACCESS_ROLE, "record.kind": RECORD_KIND,
    "signature.kind": SIGNATURE_KIND,
    "wi_filing.status": WI_FILING_STATUS, "wi_filing.step": WI_FILING_STEP,
    "wi_filing.step_short": WI_FILING_STEP_SHORT, "wi_filing.basis": WI_BASIS, "wi_filing.type": WI_FILING_TYPE,
    "wi_filing.service": WI_SERVICE, "wi_filing.kind": WI_KIND, "wi_filing.catalogue": WI_CATALOGUE, "wi_filing.event": WI_FILING_EVENT,
    "rescue.kind": RESCUE_KIND, "rescue.status": RESCUE_STATUS, "rescue.step": RESCUE_STEP,
    "rescue.step_short": RESCUE_STEP_SHORT, "rescue.situation": RESCUE_SITUATION,
    "rescue.relation": RESCUE_RELATION, "rescue.condition": RESCUE_CONDITION, "rescue.period": RESCUE_PERIOD,
    "rescue.material": RESCUE_MATERIAL, "rescue.event": RESCUE_EVENT, "rescue.flag": RESCUE_FLAG, "rescue.field": RESCUE_FIELD,
    "message.template": MESSAGE_TEMPLATE, "message.state": MESSAGE_STATE, "message.words": MESSAGE_WORDS,
}


def label(group: str, value: str | None) -> str | None:
    """The Chinese for `value`; None stays None. An unknown value is a bug the
    label test catches, so it is shown as it is rather than hidden."""
    if value is None:
        return None
    return TABLE[group].get(value, value)
