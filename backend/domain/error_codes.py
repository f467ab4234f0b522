"""Every error `code` the API can answer, with its HTTP status and what it means to a
person, in Chinese. Served as `GET /api/v1/error-codes`.

A code is stable: clients branch on it. The message here is the general meaning of
the code; an answer's own `message` may say more about the case at hand (which
field, which date, which step). Two tests keep this list whole: one reads every
`code="..."` in backend/, the other fails the test run when an answer carries a
code (or a status) this list does not have.

Standard library only: the domain layer must not depend on Flask.
"""

from __future__ import annotations

# Flows built on domain.workflow.Workflow: each answers `<flow>.<fault>`.
WORKFLOW_NAMES = ("filing", "signup", "wi_filing", "rescue")
# Prefixes passed to services.documents.accepted: each answers `<prefix>_not_accepted`
# (not ticked) and `<prefix>_outdated` (an older version was read).
DOCUMENT_CODE_PREFIXES = ("filing.notice", "filing.agent_declaration", "signup.agreement",
                          "wi_filing.notice", "rescue.notice")

CATALOGUE: dict[str, tuple[int, str]] = {
    # --- the request itself (Flask, webargs, the one error shape) -----------------
    "request.bad": (400, "请求格式有误，请检查后重试。"),
    "request.invalid": (422, "填写的内容有误，请按各项的提示修改后重试。"),
    "request.method_not_allowed": (405, "不支持该操作方式，请更新小程序后重试。"),
    "request.unsupported_type": (415, "请求内容的格式不受支持，请更新小程序后重试。"),
    "request.precondition_required": (428, "缺少必需的请求头（如 Idempotency-Key），请更新小程序后重试。"),
    "request.too_many": (429, "操作太频繁，请稍等片刻后再试。"),
    "request.failed": (400, "请求未能完成，请稍后重试。"),
    "not_found": (404, "未找到该页面或记录，或您无权查看，请返回后重新进入。"),
    "conflict": (409, "当前状态下不能进行此操作，请刷新后再试。"),
    "server.error": (500, "系统繁忙，请稍后再试。如多次出现，请联系医保经办机构。"),
    "server.database_unavailable": (503, "系统暂时无法访问数据库，请稍后再试。"),
    "server.storage_unavailable": (503, "系统暂时无法读取或保存照片和签名，请稍后再试。"),

    # --- logging in -------------------------------------------------------------
    "auth.unauthorized": (401, "登录已失效，请重新登录。"),
    "auth.required": (401, "请先登录后再办理。"),
    "auth.token_invalid": (401, "登录已失效，请重新登录。"),
    "auth.refresh_invalid": (401, "登录已过期，请重新登录。"),
    "auth.refresh_reused": (401, "检测到登录凭证被重复使用，为保护您的账户已退出所有登录，请重新登录。"),
    "auth.wx_login_failed": (401, "微信登录失败，请重新进入小程序后再试。"),
    "auth.forbidden": (403, "您没有办理此业务的权限。"),
    "partner.key_invalid": (401, "合作方密钥无效，请核对 X-Partner-Key 或联系医保经办机构。"),

    # --- identity and family --------------------------------------------------------
    "identity.required": (403, "请先完成“授权登录”，核验本人参保身份后再办理。"),
    "identity.invalid_id_number": (422, "身份证号码有误，请核对后重新输入（18位，最后一位可能是X）。"),
    "identity.not_in_registry": (422, "未查询到参保信息，请核对姓名和身份证号码；如确已参保，请联系参保地医保经办机构。"),
    "identity.consent_required": (422, "请先勾选同意授权查询参保信息后再继续。"),
    "identity.no_real_name": (403, "您的微信账户尚未完成实名认证，不能授权登录。请在微信“我 → 服务 → 钱包 → 身份信息”中完成实名认证，或激活“医保电子凭证”后重新进入小程序。"),
    "identity.not_account_holder": (403, "只能以本微信账户实名认证的本人身份授权登录；为家人办理请添加家庭成员或使用“为他人备案”。"),
    "identity.provider_unavailable": (503, "暂时无法向医保电子凭证核验实名信息，请稍后再试。"),
    "agent.relation_mismatch": (422, "填写的与本人关系与户籍登记或双方出生日期不符，请核对后重新选择。"),
    "family.self": (422, "不能把本人添加为家庭成员。"),
    "family.exists": (409, "该家庭成员已添加，无需重复添加。"),
    "family.not_found": (404, "未找到该家庭成员，请刷新后重新选择。"),
    "family.agent_not_found": (404, "未找到该代办人，请刷新后重新选择。"),
    "family.withdrawn_by_insured": (403, "对方已撤销您的代办授权，不能再为其办理，请联系本人重新授权。"),

    # --- notifications --------------------------------------------------------------
    "message.not_found": (404, "未找到该消息，或它不是发给您的，请刷新后查看。"),

    # --- catalogue ------------------------------------------------------------------
    "region.unknown": (422, "地区代码有误，请从地区列表中重新选择（6位行政区划代码）。"),
    "document.not_found": (404, "未找到该文书，请返回后重新进入。"),

    # --- uploads and signatures ----------------------------------------------------
    "upload.empty": (422, "没有收到照片内容，请重新选择照片后上传。"),
    "upload.too_large": (413, "文件过大，请压缩或重新拍摄后上传。"),
    "upload.too_many_pixels": (422, "照片分辨率过高，请缩小后重新上传。"),
    "upload.corrupt": (422, "图片文件已损坏或不完整，请重新拍摄后上传。"),
    "upload.unsupported_type": (415, "仅支持 JPG 或 PNG 格式的图片，请重新选择。"),
    "upload.busy": (503, "当前上传照片的人较多，请稍等几秒后重新上传。"),
    "signature.blank": (422, "签名过于简单或为空白，请在框内重新清晰签名。"),
    "signature.too_large": (413, "签名图片过大，请清除后重新签名。"),
    "signature.too_large_canvas": (422, "签名图片尺寸过大，请在签名框内重新签名。"),
    "signature.corrupt": (422, "签名图片已损坏或不完整，请重新签名。"),
    "signature.not_png": (415, "签名须为 PNG 图片，请在签名框内重新签名。"),
    "attachment.kind_invalid": (422, "请选择要上传的证件照片：代办人或参保人的身份证、户口本。"),
    "attachment.not_found": (404, "未找到该照片，可能已被删除或替换，请刷新后查看。"),
    "attachment.missing": (404, "照片文件已丢失。备案未提交的，请重新上传该照片；已提交的，请联系医保经办机构。"),

    # --- out-of-area filing ------------------------------------------------------------
    "filing.not_found": (404, "未找到该备案记录，或您无权查看，请核对后重试。"),
    "filing.changed": (409, "该备案刚刚发生了变化，请刷新后再试。"),
    "filing.incomplete": (409, "还有步骤未完成，请按提示先完成前面的步骤再提交。"),
    "filing.already_submitted": (409, "该备案已提交，请勿重复提交。"),
    "filing.insured_incomplete": (422, "请填写备案人的姓名、身份证号码和与您的关系。"),
    "filing.agent_is_insured": (422, "为本人办理请选择“为自己备案”。"),
    "filing.insurance_mismatch": (422, "所选参保身份或参保地与实际参保情况不一致，无法备案，请核对后重新选择。"),
    "filing.attachments_not_needed": (409, "为自己备案无需上传证件照片，请直接填写备案信息。"),
    "filing.signature_missing": (404, "该备案尚未签名，请先在承诺书上签名。"),
    "filing.signature_file_missing": (404, "签名文件已丢失。备案未提交的，请重新签名；已提交的，请联系医保经办机构。"),
    "filing.details_invalid": (422, "备案信息有误，请按各项的提示修改。"),
    "filing.same_region": (422, "就医地与参保地相同，不属于异地就医，无需备案。"),
    "filing.not_required": (422, "按参保地政策，这种情况无需备案，可直接就医结算。"),
    "filing.long_term_exists": (409, "您已有一份生效中的异地长期居住备案，请先取消该备案后再办理。"),
    "filing.settled": (409, "该备案已在备案地发生医保结算，不能线上取消；如需变更，请联系参保地医保经办机构。"),
    "filing.cancel_too_early": (409, "按参保地规定，长期居住备案须满规定天数后方可变更或取消，请到期后再办理。"),
    "filing.no_certificate": (409, "备案生效后才有备案凭证，请先完成并提交备案。"),
    "filing.verification_not_found": (404, "未查询到该备案凭证，请核对二维码。"),
    "settlement.amount_invalid": (422, "结算金额应大于0且不超过1000万元。"),
    "settlement.filing_not_effective": (409, "该备案当前不在有效状态，不能结算。"),
    "settlement.outside_validity": (422, "结算时间不在备案有效期内，不能按该备案结算。"),
    "settlement.in_future": (422, "结算时间不能晚于当前时间，请核对后重新上报。"),

    # --- family-doctor sign-up -----------------------------------------------------------
    "fd.institution_not_found": (404, "未找到该医疗卫生机构，请重新选择。"),
    "fd.team_not_found": (404, "未找到该家庭医生团队，请重新选择。"),
    "signup.not_found": (404, "未找到该签约记录，或您无权查看。"),
    "signup.changed": (409, "该签约的状态刚刚发生了变化，请刷新后再试。"),
    "signup.incomplete": (409, "还有步骤未完成，请按提示先完成前面的步骤再提交。"),
    "signup.member_required": (422, "为家庭成员签约，请选择一位家庭成员。"),
    "signup.member_not_expected": (422, "为本人签约时不需要填写家庭成员。"),
    "signup.member_unknown": (422, "未找到该家庭成员，请先在“家庭成员”中添加，或重新选择。"),
    "signup.team_unknown": (422, "未找到该家庭医生团队，请重新选择。"),
    "signup.team_full": (409, "该团队签约名额已满，请选择其他团队。"),
    "signup.already_signed": (409, "签约人已有待确认或生效中的签约，请勿重复申请。"),
    "signup.package_not_offered": (422, "所选服务包不在该团队提供的范围内，请重新选择。"),
    "signup.package_invalid": (422, "服务包选择有误：须包含基础服务包，增值服务包只能选择一个。"),
    "signup.value_added_not_eligible": (422, "增值服务包面向重点人群，签约人不属于重点人群的，请只选择基础服务包。"),
    "signup.health_consent_required": (422, "申报健康状况须先阅读并同意《健康信息使用授权》；不申报的，请清空健康状况。"),
    "signup.health_tag_invalid": (422, "所申报的健康状况与签约人不符，请核对后重新选择。"),
    "signup.start_date_invalid": (422, "签约开始日期超出可选范围，请按提示重新选择。"),
    "signup.renewal_too_early": (409, "合同到期前30日内才能办理续约，请到时再办理。"),
    "signup.renewal_too_late": (409, "合同已到期，不能续约，请重新签约。"),
    "signup.cancel_reason_invalid": (422, "请选择解约原因。"),
    "signup.cancel_note_required": (422, "解约原因为“其他”时，请填写具体说明。"),
    "signup.not_active": (409, "只有已生效的签约可由团队解约。"),
    "signup.termination_reason_invalid": (422, "团队解约须选择：迁出服务区域、连续一年联系不上、连续一年拒绝服务或其他原因。"),
    "qa.clock_out_of_range": (422, "QA 时钟只能拨到当前时间前后十年以内。"),
    "partner.out_of_scope": (403, "该合作方密钥无权办理此项业务，或该记录不在其业务范围内。"),
    "partner.role_invalid": (422, "合作方角色不正确。"),
    "partner.scope_invalid": (422, "合作方业务范围与角色不符。"),
    "signup.reject_reason_required": (422, "请填写不予签约的原因，居民将看到该原因。"),
    "signup.no_health_consent": (409, "该签约未申报健康状况，无需撤回授权。"),

    # --- work-injury cross-province filing (seed 001) ------------------------------------
    "wi_filing.no_recognition": (409, "未查询到已完成的工伤认定记录，不能办理工伤异地就医备案；请先申请工伤认定，或联系参保地工伤保险经办机构核实。"),
    "wi_filing.injury_unknown": (422, "所选工伤认定信息不存在，请从查询到的工伤认定记录中重新选择。"),
    "wi_filing.injury_required": (422, "查询到多条工伤认定记录，请选择本次备案所依据的一条。"),
    "wi_filing.insured_incomplete": (422, "请填写工伤职工的姓名、身份证号码和与您的关系。"),
    "wi_filing.agent_is_insured": (422, "为本人办理请选择“为自己备案”。"),
    "wi_filing.exists": (409, "已有一份生效中或待审核的工伤异地就医备案，请先取消该备案后再办理。"),
    "wi_filing.not_cross_province": (422, "工伤异地就医直接结算只适用于跨省就医，就医地须在参保省份以外。"),
    "wi_filing.details_invalid": (422, "备案信息有误，请按各项的提示修改。"),
    "wi_filing.attachments_not_needed": (409, "为自己备案无需上传证件照片，请直接填写备案信息。"),
    "wi_filing.settled": (409, "该工伤备案已发生直接结算，不能线上取消；如需变更，请联系参保地工伤保险经办机构。"),
    "wi_filing.no_certificate": (409, "备案生效后才有备案凭证，请先完成并提交备案。"),
    "wi_filing.verification_not_found": (404, "未查询到该工伤备案凭证，请核对二维码。"),
    "wi_filing.reason_required": (422, "请填写原因，参保人将看到该原因。"),
    "wi_settlement.amount_missing": (422, "请至少填写一项大于0的结算金额。"),
    "wi_settlement.service_not_filed": (422, "该备案未包含此项服务，不能按备案直接结算，请按手工报销办理。"),
    # --- road-accident rescue fund (seed 000) --------------------------------------------
    "rescue.deadline_passed": (422, "已超过事故发生之日起60日的申请期限，请联系救助基金管理机构。"),
    "rescue.outside_province": (422, "山西道交救助基金只受理在山西省境内发生的道路交通事故。"),
    "rescue.accident_in_future": (422, "事故发生时间不能晚于当前时间。"),
    "rescue.relation_invalid": (422, "与受害人的关系选择有误，请重新选择。"),
    "rescue.condition_invalid": (422, "受害人状况与申请类型不符，请重新选择。"),
    "rescue.victim_incomplete": (422, "请填写受害人姓名和身份证号码；身份无法确认的，请选择“身份无法确认”并上传公安机关的证明。"),
    "rescue.victim_photos_missing": (422, "请先上传受害人身份证明（或身份无法确认的证明）及亲属关系证明。"),
    "rescue.rescue_before_accident": (422, "开始抢救时间不能早于事故发生时间。"),
    "rescue.rescue_in_future": (422, "开始抢救时间不能晚于当前时间。"),
    "rescue.explanation_missing": (422, "抢救治疗超过7日的，须上传医疗机构出具的书面说明。"),
    "rescue.hospital_unknown": (422, "请从绿色通道医院列表中选择救治医院。"),
    "rescue.notice_photo_missing": (422, "请先上传抢救费用垫付通知书照片。"),
    "rescue.material_invalid": (422, "没有这项材料，请从材料列表中选择。"),
    "rescue.too_many_pages": (409, "该项材料的页数已达上限，请先删除不需要的页面。"),
    "rescue.materials_missing": (422, "申请材料不齐，请按提示上传。"),
    "rescue.page_not_found": (404, "未找到该页材料，可能已被删除，请刷新后查看。"),
    "rescue.contact_invalid": (422, "请填写联系人姓名和正确的联系电话。"),
    "rescue.duplicate": (409, "同一事故、同一受害人已有一份办理中的同类垫付申请，请勿重复申请。"),
    "rescue.return_items_required": (422, "请至少指出一项需要补正的材料或信息，并写明原因。"),
    "rescue.return_item_invalid": (422, "补正项目不正确，应为材料名称、字段名称或步骤名称。"),
    "rescue.amount_invalid": (422, "金额有误，请核对后重新填写。"),
    "rescue.over_cap": (422, "核定金额超过规定的上限。"),
    "rescue.over_claimed": (422, "核定金额不能超过申请金额。"),
    "rescue.payment_exceeds": (422, "累计支付金额不能超过核定金额。"),
    "rescue.paid_at_invalid": (422, "支付时间应在核定之后、当前时间之前。"),
    "rescue.payee_invalid": (422, "垫付款支付给救治医院：收款单位应为申请中的救治医院。"),
    "rescue.reason_required": (422, "请填写不予垫付的原因，申请人将看到该原因。"),
    "rescue.notice_outside_region": (403, "该事故不在本交警部门的辖区内，不能登记其通知书。"),
    "rescue.notice_exists": (409, "该通知书编号已登记，无需重复登记。"),
    "rescue.not_for_hospital": (403, "该申请的救治医院不是本院，不能为其上传材料。"),
    "rescue.material_not_for_hospital": (422, "医院只能上传日清单、抢救治疗情况说明、病历和超过7日的书面说明。"),
    # the operator's command `flask holidays load` (not an API answer)
    "holidays.arrangement_invalid": (422, "放假安排文件有误，未导入，请按提示核对通知原文。"),
    "holidays.year_in_package": (409, "该年度的放假安排已由 chinese-calendar 软件包提供，请升级软件包而不是导入文件。"),
    "holidays.year_mismatch": (409, "文件中的年份与要导入的年份不一致。"),
    "holidays.file_unreadable": (422, "放假安排文件无法读取，应为 UTF-8 编码的 JSON。"),
    "rescue.page_not_for_hospital": (403, "医院只能查看本院患者的日清单、抢救治疗情况说明、病历和超过7日的书面说明。"),
}

# The families a code is built from at run time (domain.workflow, services.documents).
WORKFLOW_FAULTS = {
    "not_editable": (409, "当前状态下不能再修改，请刷新后查看。"),
    "unknown_step": (409, "此业务没有这一步骤，请更新小程序后重试。"),
    "step_out_of_order": (409, "请按顺序办理：先完成前面的步骤，再进行这一步。"),
    "invalid_transition": (409, "当前状态下不能进行此操作，请刷新后查看。"),
    "not_reopened": (409, "退回补正时只能修改经办人员指出的项目。"),
    "incomplete": (409, "还有步骤未完成，请先完成后再提交。"),
    "changed": (409, "状态刚刚发生了变化，请刷新后再试。"),
    "already_submitted": (409, "已提交，请勿重复提交。"),
    "not_found": (404, "未找到该记录，或您无权查看或办理。"),
    "too_many_drafts": (409, "未提交的草稿过多，请先继续办理或删除其中一份，再新建。"),
}
DOCUMENT_FAULTS = {
    "_not_accepted": (422, "请勾选“已阅读并同意”后再继续。"),
    "_outdated": (409, "文书已更新，请重新阅读最新版本后再同意。"),
}
for _flow in WORKFLOW_NAMES:
    for _fault, _entry in WORKFLOW_FAULTS.items():
        CATALOGUE.setdefault(f"{_flow}.{_fault}", _entry)
for _prefix in DOCUMENT_CODE_PREFIXES:
    for _suffix, _entry in DOCUMENT_FAULTS.items():
        CATALOGUE.setdefault(f"{_prefix}{_suffix}", _entry)


def status_of(code: str) -> int | None:
    entry = CATALOGUE.get(code)
    return entry[0] if entry else None


def listing() -> list[dict]:
    """The catalogue as `GET /error-codes` answers it: sorted by code."""
    return [{"code": code, "status": status, "message": message}
            for code, (status, message) in sorted(CATALOGUE.items())]
