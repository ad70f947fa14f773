"""Kent Children's Trust's "Think Family" implementation plan for supporting parents (2009-2012): its nine
priorities, the outcomes and national indicators each supports, and their supportive actions, as data.

The demo (`feedback_loop.demo_action_plan`) loads it; nothing else depends on it. It is copied from the
plan's section "Priority 1: Addressing Poverty" to the end of "Priority 9", word for word: each action's
text keeps the plan's own spelling, wording and punctuation ("Utilise", "Flos", "Fios", "Children's'
centres", "parent-hood"). Only this was changed:

- Table and page markup ("| <p>", "**", bullets) and each action's leading number are removed.
- Actions are numbered 1 to n in the order the plan lists them. The plan's own numbering slips: priority
  3 goes "1., 1., 2., 4., 5., 6." and priority 5 goes "1. to 5., 3., 4., 5., 9. to 14.".
- Priority 8, action 17 is split across a page break in the plan ("... a common response to referrals
  and" / "understanding of roles."): the two halves are joined.
- Outcomes: priority 2's lines read "Outcome 2a Children ..." without the colon the other priorities
  use; a colon is added so every line reads "Outcome 2a: ...". Priorities 8 and 9 support "CYPP
  Enablers" ("Enabler A- ..."), which are listed with their outcomes.
- Indicators are the "NI ..." (National Indicator) lines. Two OCR slips, "N1 55" (priority 2) and
  "N1 110" (priority 6), are written "NI 55" and "NI 110". Priority 6 then lists "NI 110" twice (the
  second, "First time entrants to the youth justice system", is NI 111 elsewhere in the plan): kept as
  written. The local "2010 KCC Number of parents contacted ..." measure is not a national indicator
  and is left out.
- Titles are the priorities' headings ("Priority 1: Addressing Poverty"), which differ in places from
  the plan's list of priorities (noted beside each).
- The plan leaves every "Priority lead:" blank, so there are none here; the demo adds illustrative job
  titles.
"""

PRIORITIES: list[dict] = [
    {
        # The plan's list of priorities calls this one "Reducing poverty"; the heading says "Addressing Poverty".
        "number": 1,
        "title": "Addressing Poverty",
        "outcomes": [
            "Outcome 1a: Mothers, Fathers and carers are enabled to work or take up learning opportunities",
            "Outcome 1b: Children and young people fulfil their potential regardless of financial circumstances",
            "Outcome 1c: Families struggling to manage financially have access to help and support",
            "Outcome 3a: Mothers, fathers and carers have help when they need it",
            "Outcome 5a: Young carers and supported to live a full and active life",
        ],
        "indicators": [
            "NI 106 Young people from low-income backgrounds progressing to higher education",
            "NI 116 Proportion of children in poverty",
            "NI 118 Take up of formal childcare in low-income working families",
        ],
        "actions": [
            "Support sustainable, flexible, affordable local childcare to meet the needs of working parents, including out of school provision",
            "Ensure Job Centre Plus support is available in all children's centres.",
            "Through consultation with parents and carers, obtain information on and assess childcare sufficiency and parental requirements in local communities",
            "Increase advertising and marketing of the Children and Families Information Service to lone parents where the age of the child means that Income Support will be replaced by Job seekers allowance if they are ready and able to work",
            "Utilise family learning or parent support events through schools, children's centres, community venues and adult education centres to encourage mothers, fathers and carers to take up learning opportunities when appropriate.",
            "Jointly commission the St Giles Trust to provide support, advice, guidance and advocacy for families of offenders to find work and manage finances",
            "Maximise the income to families with young carers",
            "Explore the feasibility and impact of credit unions in areas of deprivation",
            "Ensure local services are equipped to offer a first line of support and signposting to debt counselling and welfare services",
            "Trial the doorstep libraries approach of engaging the hardest to reach families to facilitate support to other services when needed",
        ],
    },
    {
        "number": 2,
        "title": "Resilient and healthy families",
        "outcomes": [
            "Outcome 2a: Children and young people are resilient and equipped with social and emotional skills to deal with the challenges and pressures in their lives",
            "Outcome 2c: Reduction in the proportion of children and young people who are not a healthy weight(LAA)",
            "Outcome 2d: Improved access to mental health support",
            "Outcome 3d: Mothers and fathers have information, advice and support that will help to give children the healthiest possible start in life by increasing rates of immunization, breastfeeding and reducing rates of parents smoking.",
            "Outcome 5a: Young carers are supported to live a full and active life",
            "Outcome 5b: Children and young people and those with learning difficulties have access to services that meet their needs, experience better educational outcomes and improved outcomes in all aspects of their lives.",
        ],
        "indicators": [
            "NI 53 Prevalence of breastfeeding at 6-8 weeks from birth",
            "NI 50 Emotional health of children",
            "NI 51 Effectiveness of Children and Adolescent Mental health services (LAA)",
            "NI 55 Obesity among primary school children in reception year",
        ],
        "actions": [
            "Raise awareness to mothers and fathers through public health, midwifery, post natal services and PSHE of the importance of health and well being when they are planning parent-hood.",
            "Ensure that all new mothers and fathers, and those who are planning to have a baby have equal access to clear information, advice and guidance with fathers being actively encouraged and supported.",
            "Support and encourage new mothers to understand the effect of good nutrition during pregnancy, the benefits of breastfeeding and the different approaches to weaning.",
            "Support parents of children under 5 to develop a better understanding of healthy weight and associated areas including promoting healthier food choices, support to build physical activity into everyday life and accessing personalised support.",
            "Support parents of young carers to recognise and address their children's health needs/preventative aspects of health",
            "Make programmes/advice, information and support more easily accessible to parents with learning disabilities.",
            "Support Voice4Kent's Parents' action group to work in partnership with Children's' centres across Kent to help train staff and raise awareness about parents with learning difficulties so that parents are treated equally and get the support they need",
            "Raise awareness of mental health issues experienced by children and young people within the Swale District",
        ],
    },
    {
        "number": 3,
        "title": "Positive Families",
        "outcomes": [
            "Outcome 2b: Reduction in inappropriate risk-taking behaviour, which should lead to reduction in drug and alcohol misuse and teenage pregnancy",
            "Outcome 3a: Mothers, fathers and carers have help when they need it",
            "Outcome 5d: Black and minority ethnic children and young people are fulfilling their potential",
            "Outcome 8c: Ensure vulnerable children are safeguarded",
        ],
        "indicators": [
            "NI 112 Under 18 conception rate",
            "NI 113 Evidence of Chlamydia in under 20 year olds",
            "NI 107 Key stage 2 attainment for Black and minority ethnic groups",
            "NI 108 Key stage 4 attainment for Black and minority ethnic groups",
        ],
        "actions": [
            "Through the introduction of a countywide speak easy co-ordinator; introduce an element of SRE to appropriate parenting programmes across Kent.",
            "Work with Flos and PSAs to help them assess appropriate levels of parenting intervention versus parent and child need.",
            "Identify gaps in services or support for Grandparents and extended family and develop support packages as a response.",
            "EMA specialist teachers and MCAS practitioners to work with children's centres and schools to help better identification of ethnic minority families in their communities and develop strategies for engagement and support.",
            "Through the implementation of the NAPP training programme, ensure that at least one MCAS member of staff per area is linked as advisor or co-facilitator to the delivery of accredited parenting programmes to ensure that the programmes are accessible and inclusive of ethnic minority, migrant and gypsy traveller families.",
            "MCAS and Extended Services to develop multi agency guidance on engaging with BME families including gypsy travellers to ensure that all practitioners have clear advice, information and guidelines on how to work with, approach and include families that often find services hard to reach",
        ],
    },
    {
        "number": 4,
        "title": "Housing",
        "outcomes": [
            "Outcome 4a: Families and vulnerable young people have access to decent and suitable housing (LAA)",
        ],
        "indicators": [
            "NI 146 Young offender access to suitable accommodation",
            "NI 156 Number of households living in temporary accommodation",
        ],
        "actions": [
            "Through the Parenting Implementation Project develop joint working protocols with housing and providers and support the implementation of the CYPP housing priorities",
            "Pilot in one area, a project to reduce homelessness for young offenders focusing on early intervention and prevention through offering mediation and support to parents of young offenders",
            "Increase links with the social landlords network to identify joint training opportunities and information requirements to ensure that there is a common understanding between housing providers and local children's service partnerships.",
        ],
    },
    {
        "number": 5,
        "title": "Supporting Vulnerable Families",
        "outcomes": [
            "Outcome 3c: There is a reduction in the repeat incidence and impact of domestic violence and substance misuse on children and families (LAA)",
            "Outcome 5b: Children and young people who are disabled and those with learning difficulties have access to services that meet their needs, experience better educational outcomes and improved outcomes in all aspects of their lives.",
            "Outcome 5c: Looked after children are fulfilling their potential and have the help and support that they need",
            "Outcome 6b: Reduce youth offending",
            "Outcome 7c: Improved, participation, achievement and progression in and through the 11-19 education and training offer",
        ],
        "indicators": [
            "NI 19 Rate of proven re-offending by young offenders",
            "NI 32 Repeat incidence of domestic abuse",
            "NI 40 Drug users in effective treatment",
            "NI 45 Young offenders engagement in suitable education, employment or training",
            "NI 54 Services for disabled children",
            "NI 58 Emotional and behavioural health of children in care",
            "NI 87 Secondary school persistent absence rate",
            "NI 111 First time entrants to the youth justice system aged 10-17",
            "NI 112 Under 18 conception rate",
            "NI 115 Substance misuse in young people",
            "NI 117 16-18 year old who are not in education, employment or training",
        ],
        "actions": [
            "Through the aiming high for disabled children: short Breaks Transformation programme; offer increased choice in service provision and develop services which are available to families where and when they need them.",
            "Through Partnership with Parents extend impartial and confidential support and advice to parents of disabled children on the range of services that they can access",
            "Develop Partnership with Parents focus groups concentrating on supporting parents of disabled children and children with SEN.",
            "Support families affected by parental substance misuse, by developing co-ordinated services that meet the whole family's needs, enhancing physical, social, educational and emotional well-being and improving outcomes for all family members",
            "Establish facilitated parenting or fathers groups for male perpetrators of Domestic Violence who have completed the IDAP or CDAP programme.",
            "Ensure that mothers, fathers, and carers who have been a victim of domestic violence have the opportunity to access organised and positive play with their children through targeted intervention",
            "Increase availability and awareness of the range of Partnership with Parents services to all foster carers, including training workshops and surgeries.",
            "Extend availability and training and support to foster carers with children placed from out of county, in line with existing foster carer training",
            "Through the Parenting Implementation project and trialling parental involvement in commissioning-pilot the use of the family group conferencing approach – with budget holding lead professional to help shape package of services for family and avoid escalation of issues",
            "Pilot a project with Kent prisons to develop multi agency support and positive play opportunities for families of prisoners.",
            "Through continued support and development, increase the number of young parents attending YAPS groups and consequently YAPS plus groups",
            "Support Teenage Parents back to ETE when appropriate and enable them to access available benefits.",
            "Develop and sustain at least 5 projects working with young parents across the county.",
            "Through the Youth Crime Family Intervention Project and Think Family, co-ordinate intensive support for very vulnerable and/or challenging families, with multiagency intervention involving children's services and adult services e.g housing, drug/alcohol services, criminal justice, community safety",
        ],
    },
    {
        "number": 6,
        "title": "Safe, active and confident communities",
        "outcomes": [
            "Outcome 6a: Encourage all children and young people to take part in youth, cultural and community activities",
            "Outcome 6b: Reduce youth offending",
            "Outcome 8a: The incidence and impact of bullying has been reduced",
            "Outcome 8b: Reduction in perception of crime and Anti social behaviour where the offender or victim is aged 17 years or under (LAA)",
        ],
        "indicators": [
            "NI 69 Children who have experienced bullying",
            "NI 87 Secondary school persistent absence rate cut by vulnerable groups",
            "NI 110 Young people's participation in youth activities",
            "NI 110 First time entrants to the youth justice system",
            "NI 114 Rate of permanent exclusions from school",
        ],
        "actions": [
            "Develop comprehensive and up-to-date and jargon free guidance for parents about bullying",
            "Strengthen the bullying complaints and mediation services in order to improve support for parents and ensure productive joint working with schools and settings.",
            "Pilot and build on support for families with children and young people at risk of exclusion and for those excluded or out of school",
            "Through a mapping exercise of training, skills and attitude, identify and implement methods of improving home and family engagement of YOS practitioners.",
            "In line with the county and district play strategies, increase the availability of safe, affordable and exciting play opportunities for children and young people",
        ],
    },
    {
        # The plan's list of priorities adds "as it really is"; the heading stops at "face the world".
        "number": 7,
        "title": "Help parents to bring up children and young people ready to face the world",
        "outcomes": [
            "Outcome 2a: Children and young people are resilient and equipped with social and emotional skills to deal with the challenges and pressures in their lives",
            "Outcome 7a: Improved outcomes for children in their early years",
            "Outcome 7d: Young people are equipped with the personal, employability and learning skills and attributes for success in higher levels of learning, training and employment. (LAA)",
        ],
        "indicators": [
            "NI 72 Achievement of at least 78 points across the Early foundation stage with at least 6 in each of the scales in Personal, Social, Emotional Development and Communication, language and literacy.",
            "NI 92 narrowing the gap between the lowest achieving 20% in the Early year's foundation stage profile and the rest.",
            "NI 117 16-18 years olds who are not in education, employment or training.",
        ],
        "actions": [
            "Increase in the number of parents who receive Bookstart Plus packs by extending distribution outlets.",
            "Learn from and rollout the Parents as Partners in Early learning projects via children's centres and settings",
            "Identify two ASK staff per cluster to be 'Parent Champions' to support the development and sustainability of the parental involvement work throughout",
            "Provide information and advice to enable mothers, fathers and carers to support their child to make effective choices in progressing through education and training including at school parents evenings and at access points, through website and marketing information and on the Kent area prospectus and electronic application system",
            "Roll out Transition Information Sessions to parents across the county through extended schools and children's centres",
            'Link with local parents fora and Partnership with Parents to involve parents in developing the "parent and carer " collections in Kent libraries to improve the relevance, availability and usefulness of the resources.',
            "With a focus on positive parenting and understanding a child's cognitive, physical and emotional development pilot Transition Information Sessions based in children's centres and other community venues for new mothers and fathers and parents with children due to start pre-school.",
        ],
    },
    {
        "number": 8,
        "title": "Strategic delivery and workforce development",
        "outcomes": [
            "Enabler A- Integrated service delivery teams that are easily accessible",
            "Enabler B- A quality workforce in place that ensures there is a range of skills to meet the varied and different needs of children and young people",
            "Enabler C- Integrated processes- Common processes for early assessment (including multi-agency assessment), allocation/referral and response from the most appropriate services are in place and working effectively.",
            "Enabler D- Participation and involvement of children, young people and parents/carers in all key decisions",
            "Outcome 8c: Ensure vulnerable children are safeguarded",
        ],
        "indicators": [
            "NI 64 Child protection plans lasting 2 years or more",
            "NI 67 Children becoming the subject of a Child Protection Plan for a second or subsequent time",
            "NI 68 Referrals to children's social care going on to initial assessment",
        ],
        "actions": [
            "Implement a county wide mapping exercise of services that support parents, building on and linking to existing information and the resource directory to identify gaps in services or service improvement requirements.",
            "Develop an electronically available resource with practical tools and information by September 2009 based on the work of the Thanet parenting co-ordinator",
            "Through the DCSF Parent Know How programme develop a Children and Families Information Service which will work in partnership with the Kent Resource Directory and Contact Point.",
            "Set up parents' practitioners fora at local children's services partnership level to enable partners to share issues, best practice, and improve local co-ordination and delivery of parental support. To include if possible, Children's centres, health visitors, school based services, CAMHS, social services and the voluntary sector",
            "Working with Kent-Can, set up a range of opportunities to consult with representatives of the voluntary sector on the implications (including opportunities and challenges) of the supporting parents strategy commitments and how we can work together to implement them across Kent.",
            "Develop a range of multi agency Think Family agreements which detail how both adult's and children's services (including district councils and housing providers) will work together to support families in a range of areas e.g. Domestic Violence/ alcohol misuse, disability, adult and children's mental health.",
            "Through the workforce strategy and local partnerships, address ways of extending or varying service delivery time to parents to ensure there is fair access to all and based on times when parents are available.",
            "Ensure that families can easily access the support that they need, in places that they can get to utilising community venues, including children's centres and extended schools.",
            "Take account of new and existing research, insights, evaluation, monitoring, needs analysis, evidence bases and gaps in services within Kent and nationally to inform the development and commissioning of services for parents.",
            "In partnership with The Fatherhood Institute, develop guidance for services and partnerships around father inclusivity and engaging fathers.",
            "Develop a guidance document which includes a robust and outcome based evaluation tool to ensure quality and consistency of parenting programmes and guidance on the tiers of intervention, levels of need and practitioners skills and experience required for effective delivery.",
            "Work with NAPP to identify and train practitioners county wide in ten nationally recommended parenting programmes that are proven to have positive outcomes for children, mothers, fathers and carers.",
            'Work with NAPP to identify and train practitioners on a variety of "best practice" models in working with fathers, teenage parents, substance misusing parents, bme parents and parents of disabled children',
            "Map and identify gaps in parenting programmes against the tiers of intervention and priority groups and address ways of ensuring that there is sufficient and appropriate support in place where needed.",
            "Support parenting practitioners to evaluate their skills in assessing the effectiveness of their work",
            "Explore options around developing teams around the family through local children's service partnerships, taking into account CSS commissioning deployment plans for family support staff and VCS partners.",
            'Using case studies, Children\'s social services to facilitate "professional judgement" sessions through partnership or cross partnership events to promote a common response to referrals and understanding of roles.',
            "PSAs, Fios and Children's social services teams to set up sharing events where teams can discuss mutual concerns, share information and identify agreed protocols of working.",
            "Hold a series of planning meetings to address current gaps in family support and the interface between tiers 1 and 2 and the higher tiers of service particularly during transition phases of family support from Children's social services to LCSPs.",
        ],
    },
    {
        # The plan's list of priorities says "Respecting, involving and listening to parents" (lower case).
        "number": 9,
        "title": "Respecting, involving and Listening to Parents",
        "outcomes": [
            "Enabler B- A quality workforce in place that ensures there is a range of skills to meet the varied and different needs of children and young people",
            "Enabler C- Integrated processes- Common processes for early assessment (including multi-agency assessment), allocation/referral and response from the most appropriate services are in place and working effectively.",
            "Enabler D- Participation and involvement of children, young people and parents/carers in all key decisions",
        ],
        "indicators": [],
        "actions": [
            "Set up a county parents forum to advise and help shape development of policies and commissioning of The Kent Children's Trust Partnership Board",
            "Develop guidance and support to enable partnerships and individual organisations to assess their inclusive practice for mothers, fathers, carers and extended family and to ensure there are opportunities to address whole staff attitudes towards parents",
            "Develop and agree with parents and practitioners, in line with existing groups, a county protocol for integrating parents into decision-making, including mechanisms for feeding back the process between consultation and decision.",
            "Ensure that practitioners and services routinely ascertain the views and needs of the father (resident or non resident) as well as the views and needs of the mother. Services will also ensure that recorded information differentiates between the views and needs of all significant parents/carers including extended family) in the child's life.",
            "Develop county guidance on producing jargon free and inclusive information for mothers, fathers and carers with additional guidance on communicating with parents with learning difficulties, and English as a second language.",
            "Pilot new ways to get information or consult with parents and carers e.g. the web, local media, help lines, text messaging and evaluate and share successes and learning.",
        ],
    },
]
